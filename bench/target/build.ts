import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { CommandTarget, TargetSpec } from './target-spec.js';

/** A build that hangs must not hang the bench. */
const BUILD_TIMEOUT_MS = 10 * 60_000;

/**
 * Runs a command target's `build` in its cwd under `projectRoot` (own process group, killed on
 * timeout). Resolves null when it succeeded or there is nothing to build, else one message with
 * the build's last output.
 */
export function buildTarget(target: CommandTarget, projectRoot: string, timeoutMs = BUILD_TIMEOUT_MS): Promise<string | null> {
  const build = target.build;
  if (build === null) return Promise.resolve(null);
  const [command, ...args] = build as [string, ...string[]];
  const cwd = resolve(projectRoot, target.cwd);
  const what = `the target's build ${JSON.stringify(build.join(' '))} in ${cwd}`;
  return new Promise((resolveBuild) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const tail = () => (output.trim() === '' ? '' : `:\n${output.trimEnd().split('\n').slice(-15).join('\n')}`);
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      resolveBuild(`${what} did not finish within ${timeoutMs / 1000} s${tail()}`);
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolveBuild(`${what} could not start: ${error.message}`);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolveBuild(code === 0 ? null : `${what} failed (${signal ?? `exit ${code}`})${tail()}`);
    });
  });
}

/**
 * Builds every distinct command target of a suite once, in order, under `projectRoot`; the first
 * failure's message, or null. `log` announces each build.
 */
export async function buildTargets(
  targets: readonly TargetSpec[],
  projectRoot: string,
  log: (line: string) => void,
  side: string,
): Promise<string | null> {
  const seen = new Set<string>();
  for (const target of targets) {
    if (target.kind !== 'command' || target.build === null) continue;
    const key = JSON.stringify([target.build, target.cwd]);
    if (seen.has(key)) continue;
    seen.add(key);
    log(`building the ${side} target: ${target.build.join(' ')} (in ${target.cwd})`);
    const problem = await buildTarget(target, projectRoot);
    if (problem !== null) return problem;
  }
  return null;
}
