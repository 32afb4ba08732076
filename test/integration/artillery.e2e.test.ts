import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandExists } from '../../bench/process/command.js';
import { readResults } from '../../bench/results/results.js';
import { loadScenarioFile } from '../../bench/scenario/load.js';
import { runBench } from '../support/bench-cli.js';
import { spawnLab, type SpawnedLab } from '../support/spawned-lab.js';

const hasArtillery = commandExists('artillery');
const SKIP_REASON = 'artillery is not on PATH (.ci/run installs artillery@2.0.21)';

/** Runs the real `artillery` (no telemetry: loopback only), bounded in time. */
function artillery(args: readonly string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(
      'artillery',
      [...args],
      { cwd, timeout: 120_000, env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true' }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, output: `${stdout}${stderr}` }),
    );
  });
}

async function bench(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = runBench(args);
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

// A shipped scenario (mixed: a weighted mix, exact checksums and payload digests) exported for one
// trial: a warm-up of 0.5 s and 20 s at its 120 req/s, against a lab with its knobs on a loopback port.
describe.skipIf(!hasArtillery)(`a scenario run on the real Artillery and gated (skipped where ${SKIP_REASON})`, () => {
  let dir = '';
  let lab: SpawnedLab | undefined;
  let report = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'metric-lab-artillery-'));
    const mixed = await loadScenarioFile('scenarios/mixed.yaml');
    if (!mixed.ok) throw new Error('scenarios/mixed.yaml did not load');
    lab = await spawnLab(['--host', '127.0.0.1', '--log-level', 'warn', ...mixed.spec.serverArgs]);
    const script = join(dir, 'mixed.yml');
    const exported = await bench([
      '--export',
      'artillery',
      '--scenario',
      'mixed',
      '--trials',
      '1',
      '--target-url',
      lab.appUrl,
      '--out',
      script,
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain('bench: artillery: not mapped: load.seed 1');
    report = join(dir, 'report.json');
    const run = await artillery(['run', script, '--output', report], dir);
    // 0, or 1 when an ensure check failed (this shared 2-core machine's tail can pass 300 ms);
    // never 21: a failed answer check.
    expect([0, 1], run.output.slice(-2000)).toContain(run.code);
    expect(run.output).toMatch(/(ok|fail): http\.response_time\.p99 < 300/);
  }, 150_000);

  afterAll(async () => {
    lab?.child.kill('SIGTERM');
    await lab?.exited;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('imports the report: a valid trial, the thresholds, answers checked against the committed baseline', async () => {
    const out = join(dir, 'reports');
    const imported = await bench(['--import', 'artillery', report, '--scenario', 'mixed', '--out', out]);
    expect(imported.stdout).toContain('answers: 4 variant(s) gave the same answers (checksums, digests, statuses) as the baseline');
    expect(imported.stdout).toContain("note: Latency is Artillery's http.response_time");
    const read = await readResults(join(out, 'latest', 'results.json'));
    if (!read.ok) throw new Error(read.reason);
    const [scenario] = read.results.scenarios;
    expect(scenario?.status).toBe('ok');
    expect(scenario?.trials.length).toBeGreaterThanOrEqual(1);
    expect(scenario?.trials.every((t) => t.validity.valid)).toBe(true);
    expect(scenario?.thresholds.map((t) => [t.metric, t.actual !== null])).toEqual([
      ['p50_ms', true],
      ['p99_ms', true],
      ['error_ratio', true],
    ]);
    // Exit 1 only for a threshold (a loaded machine's tail), never for the answers or the trials.
    const thresholdsPass = scenario?.thresholds.every((t) => t.pass) ?? false;
    expect(imported.code, `${imported.stdout}${imported.stderr}`).toBe(thresholdsPass ? 0 : 1);
    expect(read.results.gate?.correctness.map((c) => c.status)).toEqual(['same', 'same', 'same', 'same']);
    expect(read.results.imported?.reports).toEqual([report]);
    const [summary, html] = await Promise.all([
      readFile(join(out, 'latest', 'summary.md'), 'utf8'),
      readFile(join(out, 'latest', 'index.html'), 'utf8'),
    ]);
    expect(summary).toContain('> Imported from Artillery');
    expect(html).toContain('Imported from artillery');
    expect(await readFile(join(out, 'latest', 'junit.xml'), 'utf8')).toContain('<testsuite');
  });

  it('gates it against another imported report (the same one: nothing regressed)', async () => {
    const out = join(dir, 'reports-ab');
    const gated = await bench(['--import', 'artillery', report, '--scenario', 'mixed', '--against-report', report, '--out', out]);
    expect([0, 1], gated.stderr).toContain(gated.code);
    expect(gated.stderr).not.toContain('performance regression');
    expect(gated.stdout).toMatch(/gate: .*Artillery report /);
    const read = await readResults(join(out, 'latest', 'results.json'));
    if (!read.ok) throw new Error(read.reason);
    expect(read.results.reference?.scenarios).toHaveLength(1);
    expect(read.results.gate?.mode).toBe('report');
    expect(await readFile(join(out, 'latest', 'summary.md'), 'utf8')).toContain("against the other run's (two independent samples)");
    expect(read.results.gate?.metrics.some((m) => m.verdict === 'regression')).toBe(false);
  });

  it('refuses a truncated report in one line, exit 2', async () => {
    const truncated = join(dir, 'truncated.json');
    await writeFile(truncated, (await readFile(report, 'utf8')).slice(0, 500));
    const result = await bench(['--import', 'artillery', truncated, '--scenario', 'mixed', '--out', join(dir, 'r')]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^bench: .*truncated\.json is not valid JSON \(.*\); is it a complete Artillery --output report\? \(see --help\)$/,
      ),
    ]);
  });
});
