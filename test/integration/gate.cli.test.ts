import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BaselineFile } from '../../ci/baseline/store.js';
import type { BenchResults } from '../../bench/results/results.js';
import { runBench, scenarioDir } from '../support/bench-cli.js';

const TINY = `description: tiny gate scenario
server:
  db_min_ms: 1
  db_max_ms: 2
  loop_iterations: 100000
load:
  rate_rps: 40
  warmup_seconds: 0.3
  duration_seconds: 0.5
  trials: 4
gate:
  p50_ms: "+10%"
  server_cpu_ms_per_request: "+10%"
  error_ratio: "+0.01"
validity:
  min_rate_ratio: 0.5
  max_late_ratio: 0.5
`;

async function recordBaseline(dir: string, reports: string, baselines: string): Promise<BaselineFile> {
  const run = runBench([
    '--scenarios-dir',
    dir,
    '--out',
    reports,
    '--baselines-dir',
    baselines,
    '--update-baseline',
    '--reason',
    'test baseline',
  ]);
  expect(await run.exited, run.stderr()).toBe(0);
  expect(run.stderr()).toContain(`wrote ${join(baselines, 'tiny.json')}`);
  return JSON.parse(await readFile(join(baselines, 'tiny.json'), 'utf8')) as BaselineFile;
}

describe('the gate from the command line', () => {
  it('records baselines, then fails with exit 4 when answers change and exit 1 on a slowdown decided at a later look', async () => {
    const { dir, reports } = await scenarioDir('tiny', TINY);
    const baselines = join(dir, 'baselines');
    const baseline = await recordBaseline(dir, reports, baselines);
    expect(baseline).toMatchObject({
      scenario: 'tiny',
      reason: 'test baseline',
      correctness: [{ variant: 'work', checksum: '333328356151216' }],
    });
    expect(baseline.trials).toHaveLength(4);

    // A baseline whose answer differs: a logic change, exit 4, reported apart from performance.
    const tampered = { ...baseline, correctness: [{ variant: 'work', checksum: '18103526428592', payloadDigest: null }] };
    await writeFile(join(baselines, 'tiny.json'), JSON.stringify(tampered));
    const wrong = runBench(['--scenarios-dir', dir, '--out', reports, '--baselines-dir', baselines]);
    expect(await wrong.exited, wrong.stderr()).toBe(4);
    expect(wrong.stdout()).toContain(
      'CORRECTNESS tiny/work: answers changed: baseline checksum 18103526428592; now checksum 333328356151216',
    );
    expect(await readFile(join(reports, 'latest', 'summary.md'), 'utf8')).toContain('Performance gate FAILED: answers changed');
    expect(await readFile(join(reports, 'latest', 'junit.xml'), 'utf8')).toContain('type="correctness-regression"');

    // A baseline four times as fast: 4 trials against 4 cannot reach the first look's level (α/2 over 3
    // comparisons), so the gate adds trials to the current side and decides at the second look. (At
    // twice, CI once left it undecided at every look on Node 24: recorded p50s of 2.0–2.3 ms, halved,
    // were within reach of a faster run's.)
    const faster = {
      ...baseline,
      trials: baseline.trials.map((t) => ({ ...t, metrics: { ...t.metrics, p50_ms: (t.metrics.p50_ms ?? 1) / 4 } })),
    };
    await writeFile(join(baselines, 'tiny.json'), JSON.stringify(faster));
    const slow = runBench(['--scenarios-dir', dir, '--out', reports, '--baselines-dir', baselines]);
    expect(await slow.exited, slow.stderr()).toBe(1);
    expect(slow.stderr()).toContain('look 2 of 3: more trials for tiny (undecided metrics)');
    const results = JSON.parse(await readFile(join(reports, 'latest', 'results.json'), 'utf8')) as BenchResults;
    expect(results.gate?.looks.slice(0, 2)).toEqual([
      { alpha: 0.025, scenarios: ['tiny'] },
      { alpha: 0.0125, scenarios: ['tiny'] },
    ]);
    expect(results.gate?.metrics.find((m) => m.metric === 'p50_ms')).toMatchObject({
      verdict: 'regression',
      baselineTrials: 4,
      currentTrials: 7,
      note: 'decided at look 2 of 3 (α 0.0125, 7 trials)',
    });
    expect(results.gate?.summary.outcome).toBe('performance-regression');
  }, 90_000);

  it('refuses bad combinations and a missing reason with exit 2', async () => {
    for (const args of [['--update-baseline'], ['--reason', 'x'], ['--against', 'HEAD', '--calibrate'], ['--against', '']]) {
      const run = runBench(args);
      expect(await run.exited, args.join(' ')).toBe(2);
      expect(run.stderr()).toMatch(/^bench: .*\(see --help\)\n$/);
    }
  });

  it('names a broken baseline file and exits 2 before running anything', async () => {
    const { dir, reports } = await scenarioDir('tiny', TINY);
    const baselines = join(dir, 'baselines');
    await import('node:fs/promises').then((fs) => fs.mkdir(baselines));
    await writeFile(join(baselines, 'tiny.json'), 'not json');
    const run = runBench(['--scenarios-dir', dir, '--out', reports, '--baselines-dir', baselines]);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain(`${join(baselines, 'tiny.json')}: not valid JSON`);
    expect(run.stderr()).not.toContain('starting the lab');
  });

  it('runs a same-machine A/B against a git ref in a temporary worktree', async () => {
    const { dir, reports } = await scenarioDir('tiny', TINY.replace('trials: 4', 'trials: 2'));
    const run = runBench(['--scenarios-dir', dir, '--out', reports, '--against', 'HEAD']);
    const code = await run.exited;
    expect(run.stderr()).toMatch(/HEAD is ready \(same lockfile: dependencies shared\)/);
    expect(run.stderr()).toContain('tiny/baseline: trial 2/2');
    expect(code, run.stderr()).toBe(0);
    const results = JSON.parse(await readFile(join(reports, 'latest', 'results.json'), 'utf8')) as BenchResults;
    expect(results.gate?.mode).toBe('against');
    expect(results.reference?.scenarios[0]?.trials).toHaveLength(2);
    expect(results.gate?.correctness[0]?.status).toBe('same');
  }, 90_000);

  it('rejects an unknown ref with one line and exit 3', async () => {
    const { dir, reports } = await scenarioDir('tiny', TINY);
    const run = runBench(['--scenarios-dir', dir, '--out', reports, '--against', 'no-such-branch-xyz']);
    expect(await run.exited).toBe(3);
    expect(run.stderr()).toContain('bench: --against: unknown git ref "no-such-branch-xyz"');
  });
});
