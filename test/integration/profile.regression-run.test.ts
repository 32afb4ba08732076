import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BaselineFile } from '../../ci/baseline/store.js';
import type { BenchResults } from '../../bench/results/results.js';
import { runBench, scenarioDir } from '../support/bench-cli.js';

const TINY = `description: tiny scenario for the regression-profile test
server:
  db_min_ms: 1
  db_max_ms: 2
  loop_iterations: 1000000
load:
  rate_rps: 40
  warmup_seconds: 0.3
  duration_seconds: 0.5
  trials: 4
gate:
  p50_ms: "+10%"
validity:
  min_rate_ratio: 0.5
  max_late_ratio: 0.5
`;

describe('a regression verdict', () => {
  it('captures CPU profiles of both sides and links their differential from the report and the Markdown summary', async () => {
    const { dir, reports } = await scenarioDir('tiny', TINY);
    const baselines = join(dir, 'baselines');
    const record = runBench([
      '--scenarios-dir',
      dir,
      '--out',
      reports,
      '--baselines-dir',
      baselines,
      '--update-baseline',
      '--reason',
      'test',
    ]);
    expect(await record.exited, record.stderr()).toBe(0);
    // A baseline four times as fast as this code: a regression without touching the code (at twice, a
    // slow recording run's halved p50s can reach a fast run's, as CI once saw in gate.cli.test.ts).
    const baseline = JSON.parse(await readFile(join(baselines, 'tiny.json'), 'utf8')) as BaselineFile;
    const faster = {
      ...baseline,
      trials: baseline.trials.map((t) => ({ ...t, metrics: { ...t.metrics, p50_ms: (t.metrics.p50_ms ?? 1) / 4 } })),
    };
    await writeFile(join(baselines, 'tiny.json'), JSON.stringify(faster));

    const run = runBench(['--scenarios-dir', dir, '--out', reports, '--baselines-dir', baselines, '--no-confirm']);
    expect(await run.exited, run.stderr()).toBe(1);
    expect(run.stderr(), run.stderr()).toContain('tiny: profiling the baseline lab (1 s) for the differential profile');
    expect(run.stderr(), run.stderr()).toContain('tiny: profiling the current lab (1 s) for the differential profile');
    const results = JSON.parse(await readFile(join(reports, 'latest', 'results.json'), 'utf8')) as BenchResults;
    expect(results.gate?.metrics.find((m) => m.metric === 'p50_ms')?.verdict).toBe('regression');

    const profiles = results.profiles;
    const context = JSON.stringify(profiles?.warnings);
    expect(profiles?.requested).toBeNull();
    expect(
      profiles?.runs.map((r) => [r.side, r.purpose, r.profiler, r.status]),
      context,
    ).toEqual([
      ['baseline', 'regression', 'cpuprofile', 'ok'],
      ['current', 'regression', 'cpuprofile', 'ok'],
    ]);
    const [differential] = profiles?.differentials ?? [];
    expect(differential, context).toMatchObject({
      scenario: 'tiny',
      status: 'ok',
      baseline: { label: 'baseline', commit: baseline.git.commit },
      current: { label: 'current' },
    });
    if (differential?.status !== 'ok') return;
    // The baseline was recorded from this commit: with a clean tree both sides run the same code
    // (and the report says so); with local changes the commit is built in a worktree.
    if (results.environment.git.dirty === false) expect(differential.notes[0]).toMatch(/^Both sides ran the same code/);
    else expect(differential.notes).toEqual([]);
    // ~2.5 ms of loop per request at 40 req/s: ~100 busy samples a side at 1 kHz (300k iterations
    // gave as few as 8 in CI, too close to this bound).
    expect(differential.baseline.busySamples, context).toBeGreaterThan(10);
    expect(differential.current.busySamples).toBeGreaterThan(10);

    const runDir = join(reports, results.runId);
    expect(await readFile(join(runDir, 'profiles/tiny/regression/differential.html'), 'utf8')).toContain('<svg class="diff-flamegraph"');
    expect(await readFile(join(runDir, 'index.html'), 'utf8')).toContain(
      '<a href="profiles/tiny/regression/differential.html">differential profile</a>',
    );
    const summary = await readFile(join(runDir, 'summary.md'), 'utf8');
    expect(summary).toContain('#### Where the time went (differential CPU profiles)');
    expect(summary).toContain("(in the run's folder: `profiles/tiny/regression/differential.html`)");
  }, 120_000);
});
