import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { childProcesses, isAlive, scenarioDir, until } from '../support/bench-cli.js';

const LONG = `description: long enough to be killed
server: { db_min_ms: 1, db_max_ms: 2, loop_iterations: 1000 }
load: { rate_rps: 20, warmup_seconds: 0, duration_seconds: 30, trials: 1 }
`;

describe('kill -9 of the bench itself', () => {
  it('leaves no lab and no load worker behind: they notice their parent is gone and stop', async () => {
    const { dir, reports } = await scenarioDir('long', LONG);
    const bench = spawn(process.execPath, ['dist/bench/bin/bench.js', '--no-baseline', '--scenarios-dir', dir, '--out', reports], {
      stdio: 'ignore',
    });
    const benchPid = bench.pid ?? -1;
    const children = await until(
      'the lab and the load worker',
      () => {
        const found = childProcesses(benchPid);
        return found.some((c) => c.command.includes('server/main.js')) && found.some((c) => c.command.includes('worker.js')) ? found : null;
      },
      20_000,
    );
    bench.kill('SIGKILL');
    // Before the fix the lab, re-parented to PID 1, still listened 18 s later.
    for (const child of children) {
      await until(`${child.command} to stop`, () => (isAlive(child.pid) ? null : true), 5_000).catch(() => undefined);
      expect(isAlive(child.pid), child.command).toBe(false);
    }
  }, 40_000);
});
