import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadProgress } from './generator.js';
import { pinProcess } from '../process/cpu-affinity.js';
import { parseLoadPlan } from './plan.js';
import type { LoadPlan, LoadResult } from './types.js';
import { isWorkerMessage, type RunMessage } from './worker-protocol.js';

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
export function runLoad(plan: LoadPlan, options: RunLoadOptions = {}): Promise<LoadResult> {
  const parsed = parseLoadPlan(plan);
  if (!parsed.ok) return Promise.reject(new LoadRunError('invalid-plan', parsed.message));
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(abortReason(signal));

  return new Promise<LoadResult>((resolve, reject) => {
    const child = fork(options.workerPath ?? defaultWorkerPath(), [], {
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    let stderrTail = '';
    const keepTail = (chunk: string) => (stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES));
    child.stderr?.setEncoding('utf8').on('data', keepTail);
    child.stdout?.setEncoding('utf8').on('data', keepTail);

    let outcome: { ok: true; result: LoadResult } | { ok: false; error: Error } | null = null;
    let exitTimer: NodeJS.Timeout | undefined;
    const deadlineMs = plan.durationSeconds * 1000 + plan.requestTimeoutMs + (options.deadlineMarginMs ?? DEFAULT_DEADLINE_MARGIN_MS);
    const deadline = setTimeout(() => {
      settle({
        ok: false,
        error: new LoadRunError('deadline', `load worker did not finish within ${Math.round(deadlineMs)} ms; killed`, stderrTail),
      });
      kill(child);
    }, deadlineMs);
    const onAbort = () => {
      settle({ ok: false, error: abortReason(signal as AbortSignal) });
      kill(child);
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    /** First outcome wins; the promise settles only once the child is gone ('close'). */
    function settle(next: NonNullable<typeof outcome>): void {
      if (outcome !== null) return;
      outcome = next;
      clearTimeout(deadline);
      signal?.removeEventListener('abort', onAbort);
      exitTimer = setTimeout(() => kill(child), EXIT_GRACE_MS);
    }
    function finish(): void {
      clearTimeout(exitTimer);
      if (outcome === null) return;
      if (outcome.ok) resolve(outcome.result);
      else reject(outcome.error);
    }

    child.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return;
      if (message.type === 'progress') options.onProgress?.(message.progress);
      else if (message.type === 'result') settle({ ok: true, result: message.result });
      else settle({ ok: false, error: new LoadRunError(message.kind, message.message, stderrTail) });
    });
    child.once('error', (error) => {
      settle({ ok: false, error: new LoadRunError('crashed', `load worker could not run: ${error.message}`, stderrTail) });
      if (child.pid === undefined) finish(); // never spawned, so no 'close' will come
    });
    // 'close' rather than 'exit': by then the child's stderr has been read to the end.
    child.once('close', (code, exitSignal) => {
      settle({
        ok: false,
        error: new LoadRunError(
          'crashed',
          `load worker exited (${exitSignal ?? `code ${code}`}) before sending a result${stderrTail ? `; stderr tail:\n${stderrTail.trimEnd()}` : ''}`,
          stderrTail,
        ),
      });
      finish();
    });

    const message: RunMessage = { type: 'run', plan: parsed.plan, progressIntervalMs: options.progressIntervalMs ?? 1_000 };
    const send = () =>
      child.send(message, (error) => {
        if (error)
          settle({
            ok: false,
            error: new LoadRunError('crashed', `could not send the plan to the load worker: ${error.message}`, stderrTail),
          });
      });
    if (options.cpus && child.pid !== undefined) void pinProcess(child.pid, options.cpus).then(send);
    else send();
  });
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
