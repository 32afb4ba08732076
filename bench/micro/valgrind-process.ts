/**
 * One valgrind run, bounded: its own process group, killed whole (SIGKILL) on timeout, on abort,
 * and when this process exits, so no valgrind or node is ever left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export type ValgrindExit =
  | { status: 'exited'; code: number; signal: NodeJS.Signals | null; stderrTail: string; wallMs: number }
  | { status: 'killed'; reason: 'timeout' | 'aborted'; stderrTail: string; wallMs: number }
  | { status: 'failed'; error: string };

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
const STDERR_TAIL_CHARS = 2_000;

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

export function runValgrind(
  args: readonly string[],
  options: { timeoutMs: number; signal?: AbortSignal; command?: string; cwd?: string; env?: NodeJS.ProcessEnv },
): Promise<ValgrindExit> {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const child of live) killGroup(child);
    });
  }
  const startMs = performance.now();
  return new Promise((resolve) => {
    if (options.signal?.aborted === true) {
      resolve({ status: 'killed', reason: 'aborted', stderrTail: '', wallMs: 0 });
      return;
    }
    const child = spawn(options.command ?? 'valgrind', [...args], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      ...(options.env === undefined ? {} : { env: options.env }),
    });
    live.add(child);
    let stderr = '';
    let killedFor: 'timeout' | 'aborted' | undefined;
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });
    const stop = (reason: 'timeout' | 'aborted') => {
      killedFor ??= reason;
      killGroup(child);
    };
    const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
    const onAbort = () => stop('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort(); // aborted already: no event will come
    const settle = (exit: ValgrindExit) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      live.delete(child);
      resolve(exit);
    };
    child.once('error', (error) => settle({ status: 'failed', error: error.message }));
    child.once('close', (code, signal) => {
      const wallMs = performance.now() - startMs;
      const stderrTail = stderr.trim();
      if (killedFor !== undefined) settle({ status: 'killed', reason: killedFor, stderrTail, wallMs });
      else settle({ status: 'exited', code: code ?? -1, signal, stderrTail, wallMs });
    });
  });
}
