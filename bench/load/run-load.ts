import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadProgress } from './generator.js';
import { pinProcess } from '../process/cpu-affinity.js';
import { parseLoadPlan } from './plan.js';
import type { LoadPlan, LoadResult } from './types.js';
import { isWorkerMessage, type CloseMessage, type RunMessage } from './worker-protocol.js';

export type { LoadProgress } from './generator.js';

export interface RunLoadOptions {
  /** Aborting kills the worker and rejects with the signal's reason. */
  signal?: AbortSignal;
  onProgress?: (progress: LoadProgress) => void;
  progressIntervalMs?: number;
  /** Slack on top of `durationSeconds + requestTimeoutMs` before the worker is killed; default 5 s. */
  deadlineMarginMs?: number;
  /** The compiled worker; defaults to `dist/bench/load/worker.js`. */
  workerPath?: string;
  /** taskset CPU list for the worker (see bench/cpu-affinity.ts), applied before the plan is sent. */
  cpus?: string | null;
}

export type LoadRunFailure = 'invalid-plan' | 'failed' | 'crashed' | 'deadline';

/** Why a load run produced no result; `stderrTail` holds the worker's last words when it has any. */
export class LoadRunError extends Error {
  override readonly name = 'LoadRunError';
  constructor(
    readonly kind: LoadRunFailure,
    message: string,
    readonly stderrTail = '',
  ) {
    super(message);
  }
}

const DEFAULT_DEADLINE_MARGIN_MS = 5_000;
/** After its result, a worker that has not exited by itself within this long is killed. */
const EXIT_GRACE_MS = 2_000;
const STDERR_TAIL_BYTES = 4_096;

/** Runs a plan in a separate Node process (the load worker) and resolves once that process is gone. */
export async function runLoad(plan: LoadPlan, options: RunLoadOptions = {}): Promise<LoadResult> {
  const session = openLoadSession(options);
  try {
    return await session.run(plan, options);
  } finally {
    await session.close();
  }
}

export type RunOptions = Pick<RunLoadOptions, 'signal' | 'onProgress' | 'progressIntervalMs' | 'deadlineMarginMs'>;

/**
 * A load worker kept between plans (a scenario's trials): one process, pinned once, that runs
 * plans one after another. A run that fails (deadline, abort, crash) kills the process; the next
 * run starts a fresh one. `close` ends it and resolves once it is gone.
 */
export interface LoadSession {
  run(plan: LoadPlan, options?: RunOptions): Promise<LoadResult>;
  close(): Promise<void>;
}

interface Worker {
  child: ChildProcess;
  /** Resolves once the process is gone ('close': its output has been read to the end). */
  gone: Promise<void>;
  stderrTail: () => string;
  /** Set on 'close'; a run in progress turns it into a `crashed` error. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  pinned: Promise<void>;
}

export function openLoadSession(options: Pick<RunLoadOptions, 'workerPath' | 'cpus'> = {}): LoadSession {
  let worker: Worker | null = null;
  const start = (): Worker => {
    const child = fork(options.workerPath ?? defaultWorkerPath(), [], {
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    let tail = '';
    const keepTail = (chunk: string) => (tail = (tail + chunk).slice(-STDERR_TAIL_BYTES));
    child.stderr?.setEncoding('utf8').on('data', keepTail);
    child.stdout?.setEncoding('utf8').on('data', keepTail);
    const started: Worker = {
      child,
      gone: Promise.resolve(),
      stderrTail: () => tail,
      exit: null,
      pinned: options.cpus && child.pid !== undefined ? pinProcess(child.pid, options.cpus) : Promise.resolve(),
    };
    started.gone = new Promise<void>((resolve) => {
      child.once('close', (code, signal) => {
        started.exit = { code, signal };
        if (worker === started) worker = null;
        resolve();
      });
      // Never spawned: no 'close' will come.
      child.once('error', () => {
        if (child.pid === undefined) {
          started.exit = { code: null, signal: null };
          if (worker === started) worker = null;
          resolve();
        }
      });
    });
    return started;
  };

  return {
    async run(plan, runOptions = {}) {
      const parsed = parseLoadPlan(plan);
      if (!parsed.ok) throw new LoadRunError('invalid-plan', parsed.message);
      const { signal } = runOptions;
      if (signal?.aborted) throw abortReason(signal);
      worker ??= start();
      const current = worker;
      await current.pinned;
      return new Promise<LoadResult>((resolve, reject) => {
        const { child } = current;
        let done = false;
        const deadlineMs =
          plan.durationSeconds * 1000 + plan.requestTimeoutMs + (runOptions.deadlineMarginMs ?? DEFAULT_DEADLINE_MARGIN_MS);
        const cleanup = () => {
          done = true;
          clearTimeout(deadline);
          signal?.removeEventListener('abort', onAbort);
          child.off('message', onMessage);
        };
        /** A failed run takes the process with it, and settles once the process is gone. */
        const fail = (error: Error) => {
          if (done) return;
          cleanup();
          kill(child);
          void current.gone.then(() => reject(error));
        };
        const deadline = setTimeout(
          () =>
            fail(
              new LoadRunError('deadline', `load worker did not finish within ${Math.round(deadlineMs)} ms; killed`, current.stderrTail()),
            ),
          deadlineMs,
        );
        const onAbort = () => fail(abortReason(signal as AbortSignal));
        signal?.addEventListener('abort', onAbort, { once: true });
        const onMessage = (message: unknown) => {
          if (done || !isWorkerMessage(message)) return;
          if (message.type === 'progress') runOptions.onProgress?.(message.progress);
          else if (message.type === 'result') {
            cleanup();
            resolve(message.result);
          } else if (message.kind === 'invalid-plan') {
            cleanup();
            reject(new LoadRunError(message.kind, message.message, current.stderrTail()));
          } else fail(new LoadRunError(message.kind, message.message, current.stderrTail()));
        };
        child.on('message', onMessage);
        void current.gone.then(() => {
          const exit = current.exit;
          fail(
            new LoadRunError(
              'crashed',
              `load worker exited (${exit?.signal ?? `code ${exit?.code ?? null}`}) before sending a result${current.stderrTail() ? `; stderr tail:\n${current.stderrTail().trimEnd()}` : ''}`,
              current.stderrTail(),
            ),
          );
        });
        // Aborted while the worker was being pinned (the await above): no 'abort' event will come.
        // CI caught it: a Ctrl+C in that window left the load running its whole 30 s trial.
        if (signal?.aborted) {
          onAbort();
          return;
        }
        if (current.exit !== null || child.pid === undefined) return;
        const message: RunMessage = { type: 'run', plan: parsed.plan, progressIntervalMs: runOptions.progressIntervalMs ?? 1_000 };
        child.send(message, (error) => {
          if (error)
            fail(new LoadRunError('crashed', `could not send the plan to the load worker: ${error.message}`, current.stderrTail()));
        });
      });
    },
    async close() {
      const current = worker;
      if (current === null) return;
      worker = null;
      if (current.exit === null && current.child.connected) current.child.send({ type: 'close' } satisfies CloseMessage, () => {});
      const timer = setTimeout(() => kill(current.child), EXIT_GRACE_MS);
      await current.gone;
      clearTimeout(timer);
    },
  };
}

function kill(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('load run aborted', 'AbortError');
}

/** The compiled worker, whether this module runs from dist/ or from source under vitest. */
function defaultWorkerPath(): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(here.endsWith('.ts') ? '../../dist/bench/load/worker.js' : './worker.js', here));
}
