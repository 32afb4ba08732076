import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { EnvironmentFingerprint } from '../../bench/results/fingerprint.js';
import type { ScenarioOutcome } from '../../bench/results/results.js';

export const BASELINE_SCHEMA_VERSION = 1;
export const DEFAULT_BASELINES_DIR = 'ci/baselines';

/**
 * A committed baseline for one scenario: what the gate compares against. Reviewed in diffs like
 * code, so it holds only what the gate needs: per-trial metric values (4 significant digits),
 * each trial's encoded latency histogram, and the answers (checksums, digests).
 */
export interface BaselineFile {
  schemaVersion: typeof BASELINE_SCHEMA_VERSION;
  scenario: string;
  /** The scenario hash it was measured with; a different hash means a different measurement. */
  scenarioHash: string;
  recordedAt: string;
  reason: string;
  git: { commit: string | null; dirty: boolean | null };
  environment: EnvironmentFingerprint;
  correctness: Array<{ variant: string; checksum: string | null; payloadDigest: string | null }>;
  trials: Array<{ metrics: Record<string, number>; latencyHistogram: string }>;
}

const baselineSchema = z.object({
  schemaVersion: z.literal(BASELINE_SCHEMA_VERSION),
  scenario: z.string(),
  scenarioHash: z.string(),
  recordedAt: z.string(),
  reason: z.string(),
  git: z.object({ commit: z.string().nullable(), dirty: z.boolean().nullable() }),
  environment: z.looseObject({
    machineId: z.string().optional(),
    cpu: z.object({ model: z.string(), cores: z.number() }),
    node: z.string(),
  }),
  correctness: z.array(z.object({ variant: z.string(), checksum: z.string().nullable(), payloadDigest: z.string().nullable() })),
  trials: z.array(z.object({ metrics: z.record(z.string(), z.number()), latencyHistogram: z.string() })).min(1),
});

export type BaselineLoad = { status: 'found'; baseline: BaselineFile } | { status: 'absent' } | { status: 'broken'; message: string };

export function baselinePath(dir: string, scenario: string): string {
  return join(dir, `${scenario}.json`);
}

export async function readBaseline(dir: string, scenario: string): Promise<BaselineLoad> {
  const path = baselinePath(dir, scenario);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'absent' };
    return { status: 'broken', message: `${path}: ${(error as Error).message}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { status: 'broken', message: `${path}: not valid JSON (${(error as Error).message}); re-record it with npm run baseline` };
  }
  const parsed = baselineSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      status: 'broken',
      message: `${path}: ${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}; re-record it with npm run baseline`,
    };
  }
  // The environment is informational beyond the fields checked above.
  return { status: 'found', baseline: parsed.data as unknown as BaselineFile };
}

/** Scenario names that have a baseline file in `dir`. */
export async function listBaselines(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
      .sort();
  } catch {
    return [];
  }
}

/** Why an outcome must not become a baseline; null when it may. */
export function baselineRefusal(outcome: ScenarioOutcome): string | null {
  if (outcome.status === 'errored') return `${outcome.name}: the run errored (${outcome.error})`;
  if (outcome.status === 'invalid') return `${outcome.name}: the run was invalid (${outcome.reason})`;
  const inconsistent = outcome.correctness.filter((v) => !v.consistent);
  if (inconsistent.length > 0) {
    return `${outcome.name}: responses disagreed (${inconsistent.map((v) => `${v.name}: ${JSON.stringify(v.checksums)}`).join('; ')})`;
  }
  return null;
}

export function toBaseline(outcome: ScenarioOutcome, environment: EnvironmentFingerprint, reason: string, recordedAt: Date): BaselineFile {
  return {
    schemaVersion: BASELINE_SCHEMA_VERSION,
    scenario: outcome.name,
    scenarioHash: outcome.hash,
    recordedAt: recordedAt.toISOString(),
    reason,
    git: environment.git,
    environment,
    correctness: outcome.correctness.map((v) => ({ variant: v.name, checksum: v.checksum, payloadDigest: v.payloadDigest })),
    trials: outcome.trials
      .filter((t) => t.validity.valid)
      .map((t) => ({
        metrics: Object.fromEntries(Object.entries(t.metrics).map(([key, value]) => [key, Number(value.toPrecision(4))])),
        latencyHistogram: t.client.latencyHistogram,
      })),
  };
}

/**
 * Writes each baseline atomically (temp file, then rename), only after all were built: an
 * interrupted update leaves every old baseline intact.
 */
export async function writeBaselines(dir: string, baselines: readonly BaselineFile[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const staged: Array<[string, string]> = [];
  for (const baseline of baselines) {
    const path = baselinePath(dir, baseline.scenario);
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(baseline, null, 2)}\n`);
    staged.push([temporary, path]);
  }
  for (const [temporary, path] of staged) await rename(temporary, path);
  return staged.map(([, path]) => path);
}
