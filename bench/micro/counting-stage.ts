/**
 * Where a counted process runs from, so its count depends on the code and nothing else. Measured:
 * the same build counted 0.44% more for response-encode from a worktree at
 * /tmp/metric-lab-<commit>-XXXXXX than from /work/main (heap and malloc layout follow every path,
 * argument and environment string the process holds, and the alignment of the bytes it hashes
 * changes OpenSSL's path). So every counted process runs with the same strings: its build is
 * reached through a symlink at one fixed path per bench process (`--preserve-symlinks` keeps
 * that path in every module URL), from that directory, with an empty environment.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The same length in every process (pids padded), so even across runs the strings only differ in digits. */
export const STAGE_DIR = join(tmpdir(), `metric-lab-counted-${String(process.pid).padStart(8, '0')}`);

/** Node flags that keep the stage's paths in module URLs instead of the real ones. */
export const STAGE_NODE_FLAGS = ['--preserve-symlinks', '--preserve-symlinks-main'] as const;

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `work` with the stage pointing at `buildRoot` (the folder holding `dist/`): the child
 * script at `<stage>/build/dist/…`, the dependencies at `<stage>/build/node_modules` (or, for an
 * installed package, the nearest `node_modules` above it). One stage at a time per process.
 */
export function withCountingStage<T>(buildRoot: string, work: (stage: { dir: string; build: string }) => Promise<T>): Promise<T> {
  const run = async () => {
    const build = join(STAGE_DIR, 'build');
    await rm(STAGE_DIR, { recursive: true, force: true });
    await mkdir(STAGE_DIR, { recursive: true });
    await symlink(resolve(buildRoot), build, 'dir');
    const modules = nearestNodeModules(resolve(buildRoot));
    // The build's own node_modules is found through the symlink; an installed package's is above it.
    if (modules !== null && modules !== join(resolve(buildRoot), 'node_modules'))
      await symlink(modules, join(STAGE_DIR, 'node_modules'), 'dir');
    try {
      return await work({ dir: STAGE_DIR, build });
    } finally {
      await rm(STAGE_DIR, { recursive: true, force: true });
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => {});
  return result;
}

function nearestNodeModules(from: string): string | null {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules');
    if (dirname(dir) === dir) return null;
  }
}
