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
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<ChildExit>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Watches a spawned child; no supervised child outlives the bench, whatever ends it. */
export function supervise(child: ChildProcess, keepLines: number): SupervisedChild {
  live.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
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
    async stop(graceMs = 5_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        const exit = await exited;
        clearTimeout(timer);
        return exit;
      }
      return exited;
    },
  };
}
