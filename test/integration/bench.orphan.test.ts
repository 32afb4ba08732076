import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childProcesses, isAlive, scenarioDir, until } from '../support/bench-cli.js';

const LONG = `description: long enough to be killed
server: { db_min_ms: 1, db_max_ms: 2, loop_iterations: 1000 }
load: { rate_rps: 20, warmup_seconds: 0, duration_seconds: 30, trials: 1 }
`;

/** The bench's lab and load worker, once both run. */
function labAndWorker(benchPid: number) {
  const children = childProcesses(benchPid);
  return children.some((c) => c.command.includes('server/main.js')) && children.some((c) => c.command.includes('worker.js'))
    ? children
    : null;
}

describe('a baseline update whose starter dies', () => {
  it('stops when its parent is killed with SIGKILL: no orphaned run, no lab left, no baseline written', async () => {
    const { dir, reports } = await scenarioDir('long', LONG);
    const baselines = join(dir, 'baselines');
    // A parent that is not us (we cannot SIGKILL ourselves): a shell that starts the bench and waits.
    const shell = spawn(
      'bash',
      [
        '-c',
        'node dist/bench/bin/bench.js --update-baseline --reason t --scenarios-dir "$1" --out "$2" --baselines-dir "$3" & echo $!; wait',
        'bash',
        dir,
        reports,
        baselines,
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    let out = '';
    shell.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const benchPid = await until('the bench pid', () => (/^(\d+)\n/.exec(out) ? Number(/^(\d+)\n/.exec(out)?.[1]) : null));
    const children = await until('the lab and the load worker', () => labAndWorker(benchPid));
    shell.kill('SIGKILL');

    // ~2.5 s alone; once over 10 s while the whole suite loaded both cores (an orphan that stops
    // late still passes here, one that never stops does not).
    await until('the orphaned bench to stop', () => (isAlive(benchPid) ? null : true), 25_000);
    for (const child of children) expect(isAlive(child.pid), child.command).toBe(false);
    expect(await readdir(baselines).catch(() => [])).toEqual([]);
  }, 60_000);

  it('stops when `npm run baseline` gets SIGTERM (npm passes it on: the script execs node)', async () => {
    const { dir, reports } = await scenarioDir('long', LONG);
    const baselines = join(dir, 'baselines');
    const npm = spawn(
      'npm',
      ['run', '-s', 'baseline', '--', '--reason', 't', '--scenarios-dir', dir, '--out', reports, '--baselines-dir', baselines],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    npm.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => npm.once('close', (code) => resolve(code)));
    // npm's child is the script's shell, which became node by exec.
    const benchPid = await until(
      'the bench',
      () => childProcesses(npm.pid ?? -1).find((c) => c.command.includes('bench/bin/bench.js'))?.pid,
      30_000,
    );
    const children = await until('the lab and the load worker', () => labAndWorker(benchPid));
    npm.kill('SIGTERM');

    await exited;
    await until('the bench to stop', () => (isAlive(benchPid) ? null : true), 10_000);
    for (const child of children) expect(isAlive(child.pid), child.command).toBe(false);
    expect(stderr).toContain('SIGTERM: stopping the labs and the load');
    expect(await readdir(baselines).catch(() => [])).toEqual([]);
  }, 60_000);
});
