import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { supervise, type ChildExit } from '../process/supervised-child.js';

export interface PrometheusOptions {
  configFile: string;
  /** TSDB directory; the caller owns (and removes) it. */
  dataDir: string;
  /** `host:port`; port 0 lets the OS pick (read back from Prometheus' "Listening on" log line). */
  listenAddress: string;
  /** Default `prometheus` from PATH. */
  binary?: string;
  startTimeoutMs?: number;
  /**
   * Own process group: a terminal's Ctrl+C then reaches only our process, which stops Prometheus
   * once, instead of Prometheus seeing both the terminal's signal and ours.
   */
  detached?: boolean;
  /** Called with every log line Prometheus writes (logfmt, on stderr). */
  onLogLine?: (line: string) => void;
}

export interface PrometheusProcess {
  pid: number;
  /** `http://127.0.0.1:PORT`, the real port. */
  url: string;
  exited: Promise<ProcessExit>;
  recentOutput(): string[];
  /** SIGTERM (Prometheus flushes and exits), then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<ProcessExit>;
}

export type ProcessExit = ChildExit;

/** The Prometheus version line, or null where no `prometheus` binary runs. */
export function prometheusVersion(binary = 'prometheus'): string | null {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (result.error !== undefined || result.status !== 0) return null;
  return `${result.stdout}${result.stderr}`.split('\n')[0]?.trim() ?? null;
}

const RECENT_LINES = 40;

/** Starts a Prometheus server and resolves once it listens and answers /-/ready. */
export async function startPrometheus(options: PrometheusOptions): Promise<PrometheusProcess> {
  const binary = options.binary ?? 'prometheus';
  const child = spawn(
    binary,
    [
      `--config.file=${options.configFile}`,
      `--storage.tsdb.path=${options.dataDir}`,
      `--web.listen-address=${options.listenAddress}`,
      // The "Listening on" line (the real port) is logged at info.
      '--log.level=info',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: options.detached ?? false },
  );
  const supervised = supervise(child, RECENT_LINES);
  const { exited, stop } = supervised;
  const listening = new Promise<string>((resolveAddress, reject) => {
    child.once('error', (error) => reject(new Error(`could not run ${binary}: ${error.message}`)));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      supervised.remember(line);
      options.onLogLine?.(line);
      const address = listeningAddress(line);
      if (address !== null) resolveAddress(address);
    });
    void exited.then(({ code, signal }) =>
      reject(new Error(`prometheus exited (${signal ?? `code ${code}`}) before it was ready${startFailure(supervised.recentOutput())}`)),
    );
  });

  const timeoutMs = options.startTimeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  try {
    const address = await withDeadline(
      listening,
      timeoutMs,
      () => `prometheus did not log "Listening on" within ${timeoutMs} ms${startFailure(supervised.recentOutput())}`,
    );
    const url = `http://${address}`;
    await waitReady(url, deadline, exited);
    return { pid: child.pid ?? -1, url, exited, recentOutput: supervised.recentOutput, stop };
  } catch (error) {
    await stop(1_000);
    throw error;
  }
}

/** The address in Prometheus' `msg="Listening on" address=127.0.0.1:9090` line (2.x and 3.x). */
export function listeningAddress(logLine: string): string | null {
  if (!logLine.includes('msg="Listening on"')) return null;
  return /\baddress=(\S+)/.exec(logLine)?.[1] ?? null;
}

/** The most telling of Prometheus' last log lines: its error, or the whole tail. */
function startFailure(recent: readonly string[]): string {
  const error = recent.findLast((line) => /level=(error|ERROR)/.test(line));
  if (error !== undefined) {
    const message = /\berr="([^"]*)"/.exec(error)?.[1] ?? /\bmsg="([^"]*)"/.exec(error)?.[1] ?? error;
    return `: ${message}`;
  }
  return recent.length === 0 ? '' : `; its last output:\n${recent.map((l) => `  | ${l}`).join('\n')}`;
}

async function waitReady(url: string, deadline: number, exited: Promise<ProcessExit>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  while (!gone) {
    try {
      const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not accepting yet.
    }
    if (Date.now() > deadline) throw new Error(`prometheus at ${url} was not ready in time`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('prometheus exited before it was ready');
}

function withDeadline<T>(promise: Promise<T>, timeoutMs: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
