import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Another git ref of this repository, checked out and built beside the current tree. */
export interface PreparedRef {
  ref: string;
  commit: string;
  /** Worktree root (holding the ref's compiled lab, dist/server/main.js, when it was asked for). */
  root: string;
  /** Where the project (the directory the bench runs in) is inside the worktree: root + git's prefix. */
  projectRoot: string;
  /** How its dependencies were provided, for the log. */
  dependencies: 'shared' | 'installed';
  remove(): Promise<void>;
}

export class RefError extends Error {}

export interface PrepareOptions {
  /** Compile the built-in lab (this repository's); false for projects measuring their own targets. */
  buildLab: boolean;
}

/**
 * Checks `ref` out in a temporary git worktree, installs its dependencies (or shares ours when
 * its lockfile is identical, which is the common case and saves a minute) and compiles its lab
 * when asked. Throws RefError with one clear line on any failure, after cleaning up.
 */
export async function prepareRef(
  ref: string,
  repoRoot: string,
  log: (line: string) => void,
  options: PrepareOptions = { buildLab: true },
): Promise<PreparedRef> {
  let commit: string;
  try {
    commit = (await run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repoRoot })).stdout.trim();
  } catch {
    throw new RefError(`--against: unknown git ref ${JSON.stringify(ref)} (try a branch, tag or commit, e.g. origin/main)`);
  }
  // The bench may run in a subfolder of the repository; the same subfolder of the worktree is the ref's project.
  const prefix = (await run('git', ['rev-parse', '--show-prefix'], { cwd: repoRoot })).stdout.trim();
  const root = await mkdtemp(join(tmpdir(), `metric-lab-${commit.slice(0, 8)}-`));
  const remove = async () => {
    await run('git', ['worktree', 'remove', '--force', root], { cwd: repoRoot }).catch(() => {});
    await rm(root, { recursive: true, force: true });
  };
  try {
    log(`checking out ${ref} (${commit.slice(0, 12)}) in ${root}`);
    await run('git', ['worktree', 'add', '--detach', '--force', root, commit], { cwd: repoRoot });
    const projectRoot = join(root, prefix);
    const sameLockfile = await filesEqual(join(repoRoot, 'package-lock.json'), join(projectRoot, 'package-lock.json'));
    let dependencies: PreparedRef['dependencies'];
    if (sameLockfile && existsSync(join(repoRoot, 'node_modules'))) {
      await symlink(resolve(repoRoot, 'node_modules'), join(projectRoot, 'node_modules'), 'dir');
      dependencies = 'shared';
    } else {
      log(`installing ${ref}'s dependencies (its package-lock.json differs)…`);
      await runLogged('npm', ['ci', '--no-audit', '--no-fund'], projectRoot, `npm ci in the ${ref} worktree`);
      dependencies = 'installed';
    }
    if (options.buildLab) {
      log(`building ${ref}…`);
      if (!existsSync(join(root, 'tsconfig.build.json')))
        throw new RefError(
          `--against ${ref}: that commit has no tsconfig.build.json, so no lab to build (scenarios without a target: measure the built-in lab; give them a target: to measure your service)`,
        );
      await runLogged(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], root, `building ${ref}`);
      if (!existsSync(join(root, 'dist/server/main.js'))) throw new RefError(`--against ${ref}: the build produced no dist/server/main.js`);
    }
    return { ref, commit, root, projectRoot, dependencies, remove };
  } catch (error) {
    await remove();
    if (error instanceof RefError) throw error;
    throw new RefError(`--against ${ref}: ${(error as Error).message}`);
  }
}

/** Equal contents, or both absent (a project without a lockfile shares its node_modules). */
async function filesEqual(a: string, b: string): Promise<boolean> {
  const read = (path: string) =>
    readFile(path).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(error)));
  try {
    const [left, right] = await Promise.all([read(a), read(b)]);
    return left === null || right === null ? left === right : left.equals(right);
  } catch {
    return false;
  }
}

/** Runs a command, keeping its output for the error message. */
function runLogged(command: string, args: string[], cwd: string, what: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', (error) => reject(new RefError(`${what}: ${error.message}`)));
    child.once('close', (code) => {
      if (code === 0) resolvePromise();
      else reject(new RefError(`${what} failed (exit ${code}):\n${output.trimEnd().split('\n').slice(-15).join('\n')}`));
    });
  });
}
