import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pinProcess } from '../process/cpu-affinity.js';
import type { HotFunction } from './types.js';
import { isFromWorker, type ProfilerJob, type ToWorker } from './worker-protocol.js';

export type WorkerOutcome = { status: 'ok'; files: string[]; hottest: HotFunction[] } | { status: 'failed'; error: string };

export interface WorkerRunOptions {
  /** Called once the lab listens (collect jobs); the worker is told to stop when it settles. */
  drive?: (port: number) => Promise<void>;
  /** taskset CPU list for the worker and so for the lab it starts. */
  cpus?: string | null;
  /** The worker (and the lab under it) is killed after this long. */
  deadlineMs: number;
  /**
   * Collect jobs: how long the lab may take to listen. 0x waits forever for a port from a lab that
   * died at start-up, so the wait is bounded here.
   */
  listenTimeoutMs?: number;
  signal?: AbortSignal;
  cwd?: string;
}

const TAIL_BYTES = 3_000;
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Runs one profiler job in a worker process and resolves with what it produced; never throws.
 * The worker leads its own process group, so a deadline or Ctrl+C takes the profiled lab down
 * with it.
 */
export function runProfilerJob(job: ProfilerJob, options: WorkerRunOptions): Promise<WorkerOutcome> {
  return new Promise<WorkerOutcome>((resolve) => {
    const child = fork(workerPath(), [], {
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
      detached: true,
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    track(child);
    let tail = '';
    const keep = (chunk: string) => (tail = (tail + chunk).slice(-TAIL_BYTES));
    child.stdout?.setEncoding('utf8').on('data', keep);
    child.stderr?.setEncoding('utf8').on('data', keep);

    let settled = false;
    const finish = (outcome: WorkerOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(listenTimer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
      // A worker that does not leave by itself after its answer is taken down.
      setTimeout(() => {
        if (live.has(child)) killGroup(child);
      }, 2_000).unref();
    };
    const failWith = (error: string) => finish({ status: 'failed', error: `${error}${formatTail(tail)}` });
    const deadline = setTimeout(() => {
      failWith(`${job.kind} did not finish within ${Math.round(options.deadlineMs / 1000)} s; stopped it`);
      killGroup(child);
    }, options.deadlineMs);
    const listenTimer =
      options.listenTimeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            failWith(`the lab did not start listening under ${job.kind} within ${Math.round((options.listenTimeoutMs ?? 0) / 1000)} s`);
            killGroup(child);
          }, options.listenTimeoutMs);
    const onAbort = () => {
      finish({ status: 'failed', error: 'interrupted' });
      killGroup(child);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort(); // aborted before this started: no event will come

    const post = (message: ToWorker) => {
      if (child.connected) child.send(message);
    };
    child.on('message', (message: unknown) => {
      if (!isFromWorker(message)) return;
      if (message.type === 'port') {
        clearTimeout(listenTimer);
        const driving = options.drive ? options.drive(message.port) : Promise.resolve();
        void driving.catch(() => {}).then(() => post({ type: 'stop' }));
      } else if (message.type === 'done') {
        finish({ status: 'ok', files: message.files, hottest: message.hottest });
      } else {
        failWith(message.error);
      }
    });
    child.once('error', (error) => failWith(`could not start the profiler worker: ${error.message}`));
    // 'close' comes after the last IPC message, so a result sent just before exiting is not lost.
    child.once('close', (code, signal) => {
      live.delete(child);
      killGroup(child); // whatever the worker left behind in its group
      failWith(`the profiler worker exited (${signal ?? `code ${code}`}) without a result`);
    });

    const start = async () => {
      if (options.cpus && child.pid) await pinProcess(child.pid, options.cpus);
      post({ type: 'run', job });
    };
    void start();
  });
}

/** The compiled worker, also when this module runs from its TypeScript source (tests). */
function workerPath(): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(here.endsWith('.ts') ? '../../dist/bench/profile/profiler-worker.js' : './profiler-worker.js', here));
}

function formatTail(tail: string): string {
  const lines = tail.trim().split('\n').filter(Boolean).slice(-8);
  return lines.length === 0 ? '' : `; its last output: ${lines.map((l) => l.slice(0, 300)).join(' | ')}`;
}

function killGroup(child: ChildProcess): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}

/** No profiler worker (or the lab under it) outlives the bench. */
function track(child: ChildProcess): void {
  live.add(child);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of live) killGroup(c);
  });
}
