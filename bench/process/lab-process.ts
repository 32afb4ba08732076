import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { pinnedCommand } from './cpu-affinity.js';
import { labScript, PACKAGE_ROOT } from './own-files.js';
import { supervise, type ChildExit } from './supervised-child.js';

export interface LabProcessOptions {
  /** Extra server flags (knobs, --metrics off, ...). Ports are always chosen by the OS. */
  args?: readonly string[];
  /** Directory holding the compiled lab (dist/server/main.js): this package by default, another worktree for A/B runs. */
  root?: string;
  /** Readiness deadline. */
  startTimeoutMs?: number;
  /** Keep the diagnostics server (for profiling); off by default so nothing else listens. */
  diagnostics?: boolean;
  /** taskset CPU list to run on (see bench/cpu-affinity.ts); null or absent: anywhere. */
  cpus?: string | null;
  /** Flags for node itself (before the script), e.g. `--no-turbo-inlining` for profiled runs. */
  nodeFlags?: readonly string[];
}

export interface LabProcess {
  pid: number;
  appUrl: string;
  pprofUrl: string | null;
  /** Resolves when the process exits, for any reason. */
  exited: Promise<LabExit>;
  /** The last lines the lab wrote (stdout logs and stderr), for error messages. */
  recentOutput(): string[];
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<LabExit>;
}

export type LabExit = ChildExit;

const RECENT_LINES = 30;

/** Starts the compiled lab as a child process on free loopback ports and waits until it listens. */
export async function startLabProcess(options: LabProcessOptions = {}): Promise<LabProcess> {
  const root = options.root ?? PACKAGE_ROOT;
  const args = [
    ...(options.nodeFlags ?? []),
    labScript(root),
    '--host',
    '127.0.0.1',
    '--port',
    '0',
    '--pprof-port',
    options.diagnostics ? '0' : 'off',
    ...(options.args ?? []),
  ];
  const launch = pinnedCommand(process.execPath, args, options.cpus ?? null);
  // LAB_EXIT_WITH_PARENT: the lab shuts down if this process dies without stopping it (kill -9);
  // an environment variable, so a baseline ref built before the option existed still starts.
  const child = spawn(launch.command, launch.args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LAB_EXIT_WITH_PARENT: 'on' },
  });
  const supervised = supervise(child, RECENT_LINES);
  const { exited, remember } = supervised;
  const recent = () => supervised.recentOutput();
  createInterface({ input: child.stderr! }).on('line', remember);

  const ready = new Promise<{ appUrl: string; pprofUrl: string | null }>((resolveReady, reject) => {
    const timeoutMs = options.startTimeoutMs ?? 15_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the lab did not report "listening" within ${timeoutMs} ms${formatTail(recent())}`));
    }, timeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      remember(line);
      const entry = parseLogLine(line);
      if (entry?.event === 'listening' && typeof entry.app?.url === 'string') {
        clearTimeout(timer);
        resolveReady({ appUrl: entry.app.url, pprofUrl: entry.pprof?.url ?? null });
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start the lab (${process.execPath}): ${error.message}`));
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the lab exited (${signal ?? `code ${code}`}) before it was ready${formatTail(recent())}`));
    });
  });
  const { appUrl, pprofUrl } = await ready;

  return {
    pid: child.pid ?? -1,
    appUrl,
    pprofUrl,
    exited,
    recentOutput: recent,
    stop: supervised.stop,
  };
}

/** The lab's last output lines, indented, for an error message. */
export function formatTail(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `; its last output:\n${lines.map((l) => `  | ${l}`).join('\n')}`;
}

function parseLogLine(line: string): { event?: string; app?: { url?: unknown }; pprof?: { url: string } | null } | null {
  try {
    return JSON.parse(line) as { event?: string; app?: { url?: unknown }; pprof?: { url: string } | null };
  } catch {
    return null;
  }
}
