import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScenarioAggregate } from './aggregate.js';
import type { CalibrationReport } from '../../ci/gate/calibration.js';
import type { GateReport } from '../../ci/gate/types.js';
import type { VariantCorrectness } from './correctness.js';
import type { EnvironmentFingerprint } from './fingerprint.js';
import type { ProfilesReport } from '../profile/types.js';
import type { ScenarioSpec } from '../scenario/schema.js';
import type { ThresholdOutcome } from './thresholds.js';
import type { TrialResult } from './trial.js';

/** Bumped on any incompatible change to `results.json`; readers check it first. */
export const RESULTS_SCHEMA_VERSION = 1;

export interface ScenarioOutcomeBase {
  name: string;
  /** See bench/scenario/hash.ts: equal hashes measured the same thing. */
  hash: string;
  spec: ScenarioSpec;
  trials: TrialResult[];
  /** Pooled valid trials; null when none was valid. */
  aggregate: ScenarioAggregate | null;
  correctness: VariantCorrectness[];
  thresholds: ThresholdOutcome[];
  durationSeconds: number;
}

/**
 * A scenario's run: `ok` (measured; thresholds may still fail), `invalid` (too few trials could
 * be trusted) or `errored` (the lab or the generator failed; `labOutput` has the lab's last words).
 */
export type ScenarioOutcome =
  | (ScenarioOutcomeBase & { status: 'ok' })
  | (ScenarioOutcomeBase & { status: 'invalid'; reason: string })
  | (ScenarioOutcomeBase & { status: 'errored'; error: string; labOutput: string[] });

export interface BenchResults {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  runId: string;
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  environment: EnvironmentFingerprint;
  /** Command-line choices that shaped the run. */
  options: { scenarios: string[]; trialsOverride: number | null; interrupted: boolean };
  scenarios: ScenarioOutcome[];
  /**
   * The other side of an A/B (`--against`: the git ref's lab) or A/A (`--calibrate`: side A)
   * run, measured interleaved with `scenarios`; null for a plain run.
   */
  reference: { label: string; ref: string | null; commit: string | null; scenarios: ScenarioOutcome[] } | null;
  /** The regression gate's verdicts; null when there was nothing to compare against. */
  gate: GateReport | null;
  calibration: CalibrationReport | null;
  /**
   * Profiled runs (`--profile`) and regression profiles with their differential views; see
   * bench/profile/types.ts. Optional and additive (no version bump): absent when nothing was
   * profiled, and in files written before it existed.
   */
  profiles?: ProfilesReport;
}

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
  const path = join(dir, 'results.json');
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(results, null, 2)}\n`);
  await rename(temporary, path);
  return path;
}
