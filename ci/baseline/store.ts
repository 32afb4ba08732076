import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { environmentSchema } from '../gate/machine.js';
import { firstIssue } from '../../lib/zod-issue.js';

export const BASELINE_SCHEMA_VERSION = 1;
export const DEFAULT_BASELINES_DIR = 'ci/baselines';

/**
 * A committed baseline for one scenario: what the gate compares against. Reviewed in diffs like
 * code, so it holds only what the gate needs: per-trial metric values (4 significant digits),
 * each trial's encoded latency histogram, and the answers (checksums, digests).
 */
export const baselineFileSchema = z.object({
  schemaVersion: z.literal(BASELINE_SCHEMA_VERSION),
  scenario: z.string(),
  /** The scenario hash it was measured with; a different hash means a different measurement. */
  scenarioHash: z.string(),
  recordedAt: z.string(),
  reason: z.string(),
  git: z.object({ commit: z.string().nullable(), dirty: z.boolean().nullable() }),
  environment: environmentSchema,
  correctness: z.array(
    z.object({
      variant: z.string(),
      checksum: z.string().nullable(),
      payloadDigest: z.string().nullable(),
      // A service's status code and body digest; absent when not recorded (the lab's requests, older files).
      status: z.string().optional(),
      digest: z.string().optional(),
    }),
  ),
  /** Micro scenarios' trials have no latency histogram (their timings are per-operation medians). */
  trials: z.array(z.object({ metrics: z.record(z.string(), z.number()), latencyHistogram: z.string().optional() })).min(1),
});

export type BaselineFile = z.infer<typeof baselineFileSchema>;

export type BaselineLoad = { status: 'found'; baseline: BaselineFile } | { status: 'absent' } | { status: 'broken'; message: string };

export function baselinePath(dir: string, scenario: string): string {
  return join(dir, `${scenario}.json`);
}

/** Reads and fully validates one baseline; a bad file is one line naming the file and the field. */
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
  const parsed = baselineFileSchema.safeParse(data);
  if (!parsed.success) return { status: 'broken', message: `${path}: ${firstIssue(parsed.error)}; re-record it with npm run baseline` };
  return { status: 'found', baseline: parsed.data };
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
