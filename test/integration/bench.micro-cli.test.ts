import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandExists } from '../../bench/process/command.js';
import type { BenchResults } from '../../bench/results/results.js';
import { runBench, scenarioDir } from '../support/bench-cli.js';

const hasValgrind = commandExists('valgrind');

const MICRO = `kind: micro
description: a tiny micro scenario for the end-to-end test
tasks:
  loop: { iterations: 20000 }
timing: { trials: 2, seconds_per_trial: 0.02, warmup_seconds: 0.05 }
gate:
  micro.loop.instructions_per_op: "+0.5%"
  micro.loop.ns_per_op: "+50%"
thresholds:
  micro.loop.ns_per_op: "< 1e9"
`;

describe('npm run bench with a micro scenario, end to end', () => {
  it.skipIf(!hasValgrind)(
    'records a baseline, then gates against it: the count compared, the answer the same, every report written',
    async () => {
      const { dir, reports } = await scenarioDir('tiny-micro', MICRO);
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
      expect(record.stdout()).toMatch(/tiny-micro \[pass\]/);
      const stored = JSON.parse(await readFile(join(baselines, 'tiny-micro.json'), 'utf8')) as {
        trials: Array<{ metrics: Record<string, number> }>;
      };
      expect(stored.trials[0]?.metrics['micro.loop.instructions_per_op']).toBeGreaterThan(500_000);

      const gate = runBench(['--scenarios-dir', dir, '--out', reports, '--baselines-dir', baselines]);
      expect(await gate.exited, gate.stderr()).toBe(0);
      expect(gate.stdout()).toMatch(/micro\.loop\.instructions_per_op.*pass/);
      const path = /results: (\S+)/.exec(gate.stdout())?.[1] as string;
      const results = JSON.parse(await readFile(path, 'utf8')) as BenchResults;
      expect(results.micro[0]).toMatchObject({ name: 'tiny-micro', status: 'ok' });
      const count = results.gate?.metrics.find((m) => m.metric === 'micro.loop.instructions_per_op');
      // The same code, counted twice: within 0.1% (measured: 0.02% or less).
      expect(Math.abs(count?.changePercent ?? 1)).toBeLessThan(0.1);
      expect(results.gate?.correctness).toEqual([expect.objectContaining({ variant: 'loop', status: 'same' })]);
      const runDir = join(path, '..');
      expect(await readFile(join(runDir, 'summary.md'), 'utf8')).toContain('micro.loop.instructions_per_op');
      expect(await readFile(join(runDir, 'junit.xml'), 'utf8')).toContain('micro.loop.instructions_per_op');
      expect(await readFile(join(runDir, 'index.html'), 'utf8')).toContain('micro-benchmarks');
    },
    180_000,
  );

  it('lists micro scenarios with --list', async () => {
    const { dir } = await scenarioDir('tiny-micro', MICRO);
    const run = runBench(['--scenarios-dir', dir, '--list']);
    expect(await run.exited).toBe(0);
    expect(run.stdout()).toMatch(/tiny-micro\s+\[micro\] a tiny micro scenario/);
  });
});
