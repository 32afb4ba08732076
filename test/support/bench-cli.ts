import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway folder holding one scenario file and a reports folder. */
export async function scenarioDir(name: string, yaml: string): Promise<{ dir: string; reports: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'metric-lab-bench-'));
  await writeFile(join(dir, `${name}.yaml`), yaml);
  return { dir, reports: join(dir, 'reports') };
}

export interface BenchRun {
  pid: number;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  kill(signal: NodeJS.Signals): void;
}

/** Runs the compiled bench CLI (`node dist/bench/bin/bench.js`) as a real process. */
export function runBench(args: readonly string[]): BenchRun {
  const child = spawn(process.execPath, ['dist/bench/bin/bench.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return {
    pid: child.pid ?? -1,
    stdout: () => stdout,
    stderr: () => stderr,
    exited: new Promise((resolve) => child.once('close', (code) => resolve(code))),
    kill: (signal) => child.kill(signal),
  };
}

export { childProcesses, isAlive } from '../../bench/process/process-tree.js';

/** Polls `probe` every 100 ms until it returns a value, or throws after `timeoutMs` naming `what`. */
export async function until<T>(what: string, probe: () => T | null | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = probe();
    if (value !== null && value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
