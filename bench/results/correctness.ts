import { z } from 'zod';
import type { TrialResult } from './trial.js';

/**
 * What every response of one request variant said across a scenario's trials: the lab's facts
 * (checksum, payload digest) and the generic answer (status code, body digest; bench/answers).
 */
export const variantCorrectnessSchema = z.object({
  name: z.string(),
  /** The one checksum all responses agreed on; null if none was seen or they disagreed. */
  checksum: z.string().nullable(),
  payloadDigest: z.string().nullable(),
  /** The one status code / body digest all 2xx answers agreed on; null when not asked for, none seen, or they disagreed (and in older files). */
  status: z.string().nullable().default(null),
  digest: z.string().nullable().default(null),
  /** False when responses of this variant disagreed: a logic bug or nondeterminism. */
  consistent: z.boolean(),
  /** Every distinct value seen, with counts, to show a disagreement. */
  checksums: z.record(z.string(), z.number()),
  payloadDigests: z.record(z.string(), z.number()),
  statuses: z.record(z.string(), z.number()).default({}),
  digests: z.record(z.string(), z.number()).default({}),
});
export type VariantCorrectness = z.infer<typeof variantCorrectnessSchema>;

const TALLIES = ['checksums', 'payloadDigests', 'statuses', 'digests'] as const;
type Tallies = Record<(typeof TALLIES)[number], Record<string, number>>;

/** Merges per-trial answer tallies (from valid and invalid trials alike: a wrong answer is wrong). */
export function variantCorrectness(trials: readonly TrialResult[]): VariantCorrectness[] {
  const byName = new Map<string, Tallies>();
  for (const trial of trials) {
    for (const variant of trial.client.variants) {
      let entry = byName.get(variant.name);
      if (!entry) {
        entry = { checksums: {}, payloadDigests: {}, statuses: {}, digests: {} };
        byName.set(variant.name, entry);
      }
      for (const tally of TALLIES) addCounts(entry[tally], variant[tally]);
    }
  }
  return [...byName.entries()].map(([name, tallies]) => {
    const only = (counts: Record<string, number>) => {
      const values = Object.keys(counts);
      return values.length === 1 ? (values[0] as string) : null;
    };
    return {
      name,
      checksum: only(tallies.checksums),
      payloadDigest: only(tallies.payloadDigests),
      status: only(tallies.statuses),
      digest: only(tallies.digests),
      consistent: TALLIES.every((tally) => Object.keys(tallies[tally]).length <= 1),
      ...tallies,
    };
  });
}

/** The disagreeing values of an inconsistent variant, for a message. */
export function describeDisagreement(variant: VariantCorrectness): string {
  return TALLIES.filter((tally) => Object.keys(variant[tally]).length > 1)
    .map((tally) => `${tally} ${JSON.stringify(variant[tally])}`)
    .join(', ');
}

function addCounts(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [value, count] of Object.entries(from)) into[value] = (into[value] ?? 0) + count;
}
