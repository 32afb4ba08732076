import { describe, expect, it } from 'vitest';
import { childProcesses, isAlive, runBench, scenarioDir } from '../support/bench-cli.js';

const LONG = `description: long enough to be interrupted
server:
  db_min_ms: 1
  db_max_ms: 2
  loop_iterations: 1000
load:
  rate_rps: 20
  warmup_seconds: 0
  duration_seconds: 30
  trials: 1
`;

/** Waits until the bench has started its lab and its load worker; returns them. */
async function waitForChildren(benchPid: number, stderr: () => string): Promise<Array<{ pid: number; command: string }>> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const children = childProcesses(benchPid);
    if (
      stderr().includes('trial 1/1') &&
      children.some((c) => c.command.includes('server/main.js')) &&
      children.some((c) => c.command.includes('worker.js'))
    ) {
      return children;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the bench did not start its lab and load worker; stderr: ${stderr()}`);
}

describe('the bench when things go wrong', () => {
  it('ends promptly with a clear message and no stray processes when the lab dies mid-run', async () => {
    const { dir, reports } = await scenarioDir('long', LONG);
    const run = runBench(['--scenarios-dir', dir, '--out', reports]);
    const children = await waitForChildren(run.pid, run.stderr);
    const lab = children.find((c) => c.command.includes('server/main.js'));
    const killedAt = Date.now();
    process.kill(lab?.pid ?? -1, 'SIGKILL');

    const code = await run.exited;
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    expect(code).toBe(3);
    expect(run.stdout()).toContain('long [ERRORED]');
    expect(run.stdout()).toContain('error: the lab exited unexpectedly (SIGKILL) during the run');
    expect(run.stdout()).toMatch(/\| \{"level":"info".*"event":"listening"/);
    for (const child of children) expect(isAlive(child.pid), child.command).toBe(false);
  }, 30_000);

  it('on Ctrl+C stops the lab and the load, writes partial results and exits 130', async () => {
    const { dir, reports } = await scenarioDir('long', LONG);
    const run = runBench(['--scenarios-dir', dir, '--out', reports]);
    const children = await waitForChildren(run.pid, run.stderr);
    run.kill('SIGINT');
    const code = await run.exited;
    expect(code).toBe(130);
    expect(run.stderr()).toContain('SIGINT: stopping the labs and the load');
    expect(run.stdout()).toContain('(interrupted)');
    expect(run.stdout()).toMatch(/results: .*results\.json/);
    for (const child of children) expect(isAlive(child.pid), child.command).toBe(false);
  }, 30_000);
});
