import { z } from 'zod';
import type { TrialResult } from './trial.js';

/** What every response of one request variant said across a scenario's trials. */
export const variantCorrectnessSchema = z.object({
  name: z.string(),
  /** The one checksum all responses agreed on; null if none was seen or they disagreed. */
  checksum: z.string().nullable(),
  payloadDigest: z.string().nullable(),
  /** False when responses of this variant disagreed: a logic bug or nondeterminism. */
  consistent: z.boolean(),
  /** Every distinct value seen, with counts, to show a disagreement. */
  checksums: z.record(z.string(), z.number()),
  payloadDigests: z.record(z.string(), z.number()),
});
export type VariantCorrectness = z.infer<typeof variantCorrectnessSchema>;

/** Merges per-trial checksum tallies (from valid and invalid trials alike: a wrong answer is wrong). */
export function variantCorrectness(trials: readonly TrialResult[]): VariantCorrectness[] {
  const byName = new Map<string, { checksums: Record<string, number>; payloadDigests: Record<string, number> }>();
  for (const trial of trials) {
    for (const variant of trial.client.variants) {
      let entry = byName.get(variant.name);
      if (!entry) {
        entry = { checksums: {}, payloadDigests: {} };
        byName.set(variant.name, entry);
      }
      addCounts(entry.checksums, variant.checksums);
      addCounts(entry.payloadDigests, variant.payloadDigests);
    }
  }
  return [...byName.entries()].map(([name, { checksums, payloadDigests }]) => {
    const checksumValues = Object.keys(checksums);
    const digestValues = Object.keys(payloadDigests);
    return {
      name,
      checksum: checksumValues.length === 1 ? (checksumValues[0] as string) : null,
      payloadDigest: digestValues.length === 1 ? (digestValues[0] as string) : null,
      consistent: checksumValues.length <= 1 && digestValues.length <= 1,
      checksums,
      payloadDigests,
    };
  });
}

function addCounts(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [value, count] of Object.entries(from)) into[value] = (into[value] ?? 0) + count;
}
