import { spawn } from 'node:child_process';
import { pinnedCommand } from '../process/cpu-affinity.js';

export interface ArtilleryRun {
  /** Artillery's exit code: 0, 1 (an ensure check failed), 21 (an expect check failed), …; null if killed. */
  code: number | null;
  /** stdout and stderr, interleaved as they came (the tail goes into error messages). */
  output: string;
}

/**
 * Runs the `artillery` CLI (never a project dependency: it is found on PATH) in its own process
 * group, so a timeout ends it with everything it started. Telemetry is off: runs stay on loopback.
 */
export function runArtillery(
  args: readonly string[],
  options: { cwd: string; cpus: string | null; timeoutMs: number; signal?: AbortSignal },
): Promise<ArtilleryRun> {
  const launch = pinnedCommand('artillery', args, options.cpus);
  const child = spawn(launch.command, launch.args, {
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ARTILLERY_DISABLE_TELEMETRY: 'true' },
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const killGroup = () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  const timer = setTimeout(() => {
    output += `\n(artillery did not finish within ${options.timeoutMs / 1000} s: killed)`;
    killGroup();
  }, options.timeoutMs);
  options.signal?.addEventListener('abort', killGroup, { once: true });
  if (options.signal?.aborted) killGroup(); // aborted already: no event will come
  process.once('exit', killGroup);
  return new Promise((resolve) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, output: `${output}\n${error.message}` });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', killGroup);
      process.removeListener('exit', killGroup);
      resolve({ code, output });
    });
  });
}
