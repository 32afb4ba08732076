import type { ChildProcess } from 'node:child_process';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** What the bench needs from any child it starts (a lab, Prometheus): its exit, its last words, a stop. */
export interface SupervisedChild {
  exited: Promise<ChildExit>;
  /** Keeps a line of the child's output (the last `keepLines` are kept). */
  remember(line: string): void;
  recentOutput(): string[];
  /** `signal` (SIGTERM), then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number, signal?: NodeJS.Signals): Promise<ChildExit>;
}

export interface SuperviseOptions {
  /**
   * The child leads its own process group (spawned `detached`): signals go to the whole group, so
   * whatever it started (a shell, npm, the service) stops with it.
   */
  group?: boolean;
}

const live = new Map<ChildProcess, (signal: NodeJS.Signals) => void>();
let exitHookInstalled = false;

/** Watches a spawned child; no supervised child outlives the bench, whatever ends it. */
export function supervise(child: ChildProcess, keepLines: number, options: SuperviseOptions = {}): SupervisedChild {
  const kill = (signal: NodeJS.Signals) => {
    if (options.group && child.pid !== undefined) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
    } else child.kill(signal);
  };
  live.set(child, kill);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const killChild of live.values()) killChild('SIGKILL');
    });
  }
  const recent: string[] = [];
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
  return {
    exited,
    remember(line) {
      recent.push(line);
      if (recent.length > keepLines) recent.shift();
    },
    recentOutput: () => [...recent],
    async stop(graceMs = 5_000, signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) {
        kill(signal);
        const timer = setTimeout(() => kill('SIGKILL'), graceMs);
        const exit = await exited;
        clearTimeout(timer);
        return exit;
      }
      return exited;
    },
  };
}
