import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { pinnedCommand } from '../process/cpu-affinity.js';
import { formatTail } from '../process/lab-process.js';
import { supervise } from '../process/supervised-child.js';
import { freeLoopbackPort } from './free-port.js';
import { stoppedBy, type TargetProcess } from './target-process.js';
import type { CommandTarget, Readiness } from './target-spec.js';

export interface CommandTargetOptions {
  /** The project folder `target.cwd` is relative to (this checkout, or the ref's worktree). */
  projectRoot: string;
  /** taskset CPU list, or null. */
  cpus: string | null;
}

const RECENT_LINES = 30;
const PROBE_INTERVAL_MS = 100;
const PROBE_TIMEOUT_MS = 1_000;

/** `{port}` in an argument or environment value becomes the port (pure). */
export function withPort(text: string, port: number): string {
  return text.replaceAll('{port}', String(port));
}

/**
 * Starts a command target on a free loopback port, under the guardian (guardian.ts) as the
 * leader of its own process group, and waits until it is ready. Throws one clear message with
 * its last output when it cannot start, exits first, or is not ready in time; it is then stopped,
 * its whole group with it.
 */
export async function startCommandTarget(target: CommandTarget, options: CommandTargetOptions): Promise<TargetProcess> {
  const cwd = resolve(options.projectRoot, target.cwd);
  if (!existsSync(cwd)) throw new Error(`the target's cwd ${cwd} does not exist`);
  const port = await freeLoopbackPort();
  const argv = target.command.map((arg) => withPort(arg, port));
  const env = {
    ...process.env,
    PORT: String(port),
    ...Object.fromEntries(Object.entries(target.env).map(([k, v]) => [k, withPort(v, port)])),
  };
  const launch = pinnedCommand(process.execPath, [guardianScript(), JSON.stringify(argv)], options.cpus);
  const child = spawn(launch.command, launch.args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const supervised = supervise(child, RECENT_LINES, { group: true });
  const recent = () => supervised.recentOutput();
  const killGroup = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  // Whatever the command left in its group (a server under `npm start`) goes when it exits.
  void supervised.exited.then(killGroup);
  const pattern = target.ready.kind === 'log' ? new RegExp(target.ready.pattern) : null;
  let sawLine: (() => void) | null = null;
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      supervised.remember(line);
      if (pattern?.test(line)) sawLine?.();
    });
  }
  const appUrl = `http://127.0.0.1:${port}`;
  const what = `${JSON.stringify(argv.join(' '))} in ${cwd}`;

  let settled = false;
  try {
    await new Promise<void>((resolveReady, reject) => {
      const done = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolveReady();
      };
      let lastProbe = 'not probed yet';
      const timer = setTimeout(
        () =>
          done(
            new Error(
              `the target ${what} was not ready within ${target.ready.timeoutSeconds} s (${readinessWords(target.ready, lastProbe)})${formatTail(recent())}`,
            ),
          ),
        target.ready.timeoutSeconds * 1000,
      );
      sawLine = () => done();
      child.once('error', (error) => done(new Error(`could not start the target ${what}: ${error.message}`)));
      void supervised.exited.then(({ code, signal }) =>
        done(new Error(`the target ${what} exited (${signal ?? `code ${code}`}) before it was ready${formatTail(recent())}`)),
      );
      if (target.ready.kind === 'log') return;
      const ready = target.ready;
      void (async () => {
        while (!settled) {
          lastProbe = await probe(ready, port);
          if (lastProbe === 'ready') return done();
          await sleep(PROBE_INTERVAL_MS);
        }
      })();
    });
  } catch (error) {
    await supervised.stop(0, 'SIGKILL');
    throw error;
  }
  sawLine = null;
  const graceMs = target.stop.graceSeconds * 1000;
  return {
    pid: child.pid ?? -1,
    appUrl,
    pprofUrl: null,
    exited: supervised.exited,
    recentOutput: recent,
    stop: (grace = graceMs) => supervised.stop(Math.min(grace, graceMs), target.stop.signal),
    noun: 'target',
    stoppedCleanly: (exit) => stoppedBy(target.stop.signal, exit),
  };
}

/** One readiness check: 'ready', or what it found instead ("GET /healthz answered 503", "ECONNREFUSED"). */
async function probe(ready: Exclude<Readiness, { kind: 'log' }>, port: number): Promise<string> {
  if (ready.kind === 'port') {
    return new Promise((resolveProbe) => {
      const socket = connect({ host: '127.0.0.1', port, timeout: PROBE_TIMEOUT_MS });
      socket.once('connect', () => (socket.destroy(), resolveProbe('ready')));
      socket.once('timeout', () => (socket.destroy(), resolveProbe('connect timed out')));
      socket.once('error', (error: NodeJS.ErrnoException) => resolveProbe(error.code ?? error.message));
    });
  }
  try {
    const response = await fetch(`http://127.0.0.1:${port}${ready.path}`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.body?.cancel();
    return response.ok ? 'ready' : `answered ${response.status}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? (error as Error).message;
  }
}

function readinessWords(ready: Readiness, lastProbe: string): string {
  switch (ready.kind) {
    case 'http':
      return `GET ${ready.path}: ${lastProbe}`;
    case 'log':
      return `no output line matched /${ready.pattern}/`;
    case 'port':
      return `its port: ${lastProbe}`;
  }
}

/** The compiled guardian, whether this module runs from dist/ or from source under vitest. */
function guardianScript(): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(here.endsWith('.ts') ? '../../dist/bench/target/guardian.js' : './guardian.js', here));
}
