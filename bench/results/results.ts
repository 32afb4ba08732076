/**
 * `results.json`: everything a run measured and decided, versioned, written atomically, and
 * validated against the same schema when read back (the report, the gate proof).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { calibrationReportSchema } from '../../ci/gate/calibration.js';
import { environmentSchema } from '../../ci/gate/machine.js';
import { gateReportSchema } from '../../ci/gate/types.js';
import { writeFileAtomically } from '../../lib/atomic-file.js';
import { firstIssue } from '../../lib/zod-issue.js';
import { profilesReportSchema } from '../profile/types.js';
import { scenarioSpecSchema } from '../scenario/spec.js';
import { scenarioAggregateSchema } from './aggregate.js';
import { variantCorrectnessSchema } from './correctness.js';
import { microOutcomeSchema } from './micro-outcome.js';
import { thresholdOutcomeSchema } from './thresholds.js';
import { trialResultSchema } from './trial.js';

/** Bumped on any incompatible change to `results.json`; readers check it first. */
export const RESULTS_SCHEMA_VERSION = 1;

const scenarioOutcomeBase = {
  name: z.string(),
  /** See bench/scenario/hash.ts: equal hashes measured the same thing. */
  hash: z.string(),
  spec: scenarioSpecSchema,
  trials: z.array(trialResultSchema),
  /** Pooled valid trials; null when none was valid. */
  aggregate: scenarioAggregateSchema.nullable(),
  correctness: z.array(variantCorrectnessSchema),
  thresholds: z.array(thresholdOutcomeSchema),
  durationSeconds: z.number(),
};

/**
 * A scenario's run: `ok` (measured; thresholds may still fail), `invalid` (too few trials could
 * be trusted) or `errored` (the lab or the generator failed; `labOutput` has the lab's last words).
 */
export const scenarioOutcomeSchema = z.discriminatedUnion('status', [
  z.object({ ...scenarioOutcomeBase, status: z.literal('ok') }),
  z.object({ ...scenarioOutcomeBase, status: z.literal('invalid'), reason: z.string() }),
  z.object({ ...scenarioOutcomeBase, status: z.literal('errored'), error: z.string(), labOutput: z.array(z.string()) }),
]);
export type ScenarioOutcome = z.infer<typeof scenarioOutcomeSchema>;
export type ScenarioOutcomeBase = Omit<ScenarioOutcome, 'status' | 'reason' | 'error' | 'labOutput'>;

export const benchResultsSchema = z.object({
  schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
  runId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationSeconds: z.number(),
  environment: environmentSchema,
  /** Command-line choices that shaped the run. */
  options: z.object({ scenarios: z.array(z.string()), trialsOverride: z.number().nullable(), interrupted: z.boolean() }),
  scenarios: z.array(scenarioOutcomeSchema),
  /** Micro-benchmark scenarios (`kind: micro`); empty in files written before they existed (additive). */
  micro: z.array(microOutcomeSchema).default([]),
  /**
   * The other side of an A/B (`--against`: the git ref's lab) or A/A (`--calibrate`: side A)
   * run, measured interleaved with `scenarios`; null for a plain run.
   */
  reference: z
    .object({
      label: z.string(),
      ref: z.string().nullable(),
      commit: z.string().nullable(),
      scenarios: z.array(scenarioOutcomeSchema),
      micro: z.array(microOutcomeSchema).default([]),
    })
    .nullable(),
  /** The regression gate's verdicts; null when there was nothing to compare against. */
  gate: gateReportSchema.nullable(),
  calibration: calibrationReportSchema.nullable(),
  /**
   * Profiled runs (`--profile`) and regression profiles with their differential views; see
   * bench/profile/types.ts. Optional and additive (no version bump): absent when nothing was
   * profiled, and in files written before it existed.
   */
  profiles: profilesReportSchema.optional(),
  /**
   * Set when the run was imported from another tool's report (bench/artillery): the files, and
   * what such a run cannot say. Optional and additive (no version bump), like `profiles`.
   */
  imported: z.object({ tool: z.literal('artillery'), reports: z.array(z.string()), notes: z.array(z.string()) }).optional(),
});
export type BenchResults = z.infer<typeof benchResultsSchema>;

/** A sortable, unique run id: 20261126-043512-a1b2. */
export function newRunId(now: Date, random: () => number = Math.random): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const suffix = Math.floor(random() * 0x10000)
    .toString(16)
    .padStart(4, '0');
  return `${stamp}-${suffix}`;
}

/** Writes `<dir>/results.json` atomically: readers never see half a file. */
export async function writeResults(dir: string, results: BenchResults): Promise<string> {
  await mkdir(dir, { recursive: true });
  return writeFileAtomically(join(dir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
}

export type ResultsRead = { ok: true; results: BenchResults } | { ok: false; reason: string };

/** Reads a run's results.json and validates it fully; a bad file is one line naming the field. */
export async function readResults(path: string): Promise<ResultsRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? `no ${path}` : `cannot read ${path}: ${(error as Error).message}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `${path} is not valid JSON (${(error as Error).message})` };
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== RESULTS_SCHEMA_VERSION) {
    return { ok: false, reason: `${path}: expected schemaVersion ${RESULTS_SCHEMA_VERSION}, found ${JSON.stringify(version ?? null)}` };
  }
  const parsed = benchResultsSchema.safeParse(data);
  if (!parsed.success) return { ok: false, reason: `${path}: ${firstIssue(parsed.error)}` };
  return { ok: true, results: parsed.data };
}
