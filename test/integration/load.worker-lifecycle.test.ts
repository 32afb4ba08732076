import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadRunError, openLoadSession, runLoad } from '../../bench/load/run-load.js';
import type { LoadPlan } from '../../bench/load/types.js';
import type { WorkerMessage } from '../../bench/load/worker-protocol.js';
import { startInProcessLab, type RunningLab } from '../support/in-process-lab.js';

const WORKER = 'dist/bench/load/worker.js';

let running: RunningLab;
let scratch: string;
beforeAll(async () => {
  running = await startInProcessLab();
  scratch = mkdtempSync(join(tmpdir(), 'load-worker-'));
});
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await running.close();
});

const plan = (): LoadPlan => ({
  model: 'open',
  baseUrl: running.baseUrl,
  variants: [{ name: 'work', path: '/api/work?db_min_ms=0&db_max_ms=0&loop_iterations=10', weight: 1 }],
  rateRps: 40,
  maxConnections: 4,
  durationSeconds: 0.5,
  requestTimeoutMs: 1_000,
  seed: 1,
});

/** A stand-in worker that records its pid and then never answers. */
function silentWorker(): { path: string; pid: () => number; started: () => Promise<void> } {
  const pidFile = join(scratch, `pid-${Math.random()}`);
  const path = join(scratch, `silent-${Math.random()}.mjs`);
  writeFileSync(
    path,
    `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(pidFile)}, String(process.pid));\nsetInterval(() => {}, 1000);\n`,
  );
  const started = async () => {
    for (let i = 0; i < 1_000 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 10));
  };
  return { path, pid: () => Number(readFileSync(pidFile, 'utf8')), started };
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the load worker process', () => {
  it('runs plans one after another, and exits by itself once closed (no sockets or timers left behind)', async () => {
    const child = fork(WORKER, [], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const messages: WorkerMessage[] = [];
    child.on('message', (m) => messages.push(m as WorkerMessage));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const results = () => messages.filter((m) => m.type === 'result').length;
    child.send({ type: 'run', plan: plan(), progressIntervalMs: 100 });
    child.send({ type: 'run', plan: plan(), progressIntervalMs: 100 });
    for (let i = 0; i < 500 && results() < 2; i++) await new Promise((r) => setTimeout(r, 10));
    child.send({ type: 'close' });
    // If the generator left a handle open the worker would never exit and this test would time out.
    expect(await exited).toEqual({ code: 0, signal: null });
    const completed = messages.flatMap((m) => (m.type === 'result' ? [m.result.completed] : []));
    expect(completed).toEqual([20, 20]);
    expect(messages.some((m) => m.type === 'progress')).toBe(true);
  });

  it('answers a bad plan with an error message, not a crash', async () => {
    const child = fork(WORKER, [], { execArgv: [], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const reply = new Promise<unknown>((resolve) => child.once('message', resolve));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.send({ type: 'run', plan: { ...plan(), rateRps: 0 }, progressIntervalMs: 100 });
    expect(await reply).toEqual({ type: 'error', kind: 'invalid-plan', message: 'plan.rateRps: expected a number > 0, found 0' });
    child.send({ type: 'close' });
    expect(await exited).toBe(0);
  });
});

describe('runLoad', () => {
  it('rejects a bad plan with a LoadRunError naming the field, before starting anything', async () => {
    const error = await runLoad({ ...plan(), durationSeconds: -1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadRunError);
    expect(error).toMatchObject({ kind: 'invalid-plan', message: 'plan.durationSeconds: expected a number > 0, found -1' });
  });

  it('turns a crashing worker into a rejected error carrying its stderr tail', async () => {
    const path = join(scratch, 'crash.mjs');
    writeFileSync(path, `process.stderr.write('about to fail\\n');\nthrow new Error('generator exploded');\n`);
    const error = await runLoad(plan(), { workerPath: path }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoadRunError);
    expect((error as LoadRunError).kind).toBe('crashed');
    expect((error as LoadRunError).message).toMatch(
      /exited \(code 1\) before sending a result; stderr tail:\n[\s\S]*about to fail[\s\S]*generator exploded/,
    );
  });

  it('kills a worker that outlives its deadline and leaves no process behind', async () => {
    const worker = silentWorker();
    const error = await runLoad(
      { ...plan(), durationSeconds: 0.2, requestTimeoutMs: 100 },
      { workerPath: worker.path, deadlineMarginMs: 1_700 },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'deadline', message: 'load worker did not finish within 2000 ms; killed' });
    expect(isAlive(worker.pid())).toBe(false);
  });

  it('kills the worker on abort and rejects with the abort reason', async () => {
    const worker = silentWorker();
    const controller = new AbortController();
    void worker.started().then(() => controller.abort(new Error('user pressed Ctrl+C')));
    const error = await runLoad(plan(), { workerPath: worker.path, signal: controller.signal }).catch((e: unknown) => e);
    expect(error).toEqual(new Error('user pressed Ctrl+C'));
    expect(isAlive(worker.pid())).toBe(false);
  });

  it('keeps one worker across a session’s runs, and starts a fresh one after a failed run', async () => {
    const session = openLoadSession();
    const first = await session.run(plan());
    const second = await session.run(plan());
    expect([first.completed, second.completed]).toEqual([20, 20]);
    const aborted = new AbortController();
    const running = session.run({ ...plan(), durationSeconds: 5 }, { signal: aborted.signal });
    setTimeout(() => aborted.abort(new Error('stop')), 200);
    await expect(running).rejects.toThrow('stop');
    expect((await session.run(plan())).completed).toBe(20);
    await session.close();
  });

  it('stops a run aborted while its worker is being started and pinned (Ctrl+C at that moment once ran a whole trial)', async () => {
    const session = openLoadSession({ cpus: '0' });
    const aborted = new AbortController();
    const startedMs = performance.now();
    // run() awaits the worker's pinning before it listens for 'abort': abort inside that wait.
    const running = session.run({ ...plan(), durationSeconds: 30 }, { signal: aborted.signal });
    aborted.abort(new Error('stop'));
    await expect(running).rejects.toThrow('stop');
    expect(performance.now() - startedMs).toBeLessThan(5_000);
    await session.close();
  });

  it('rejects at once when the signal is already aborted', async () => {
    const error = await runLoad(plan(), { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
  });
});
