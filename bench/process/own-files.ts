import { resolve } from 'node:path';
import { packageRootOf } from '../../lib/package-root.js';

/**
 * Where this package's own files are: its compiled lab, its report assets, its schema. Resolved
 * from this module, so `npx metric-lab` in another project finds them in node_modules, while the
 * project's scenarios, baselines and reports stay relative to the working directory.
 */
export const PACKAGE_ROOT = packageRootOf(import.meta.url);

/** The compiled lab's entry point under a package root (this package, or another ref's worktree). */
export function labScript(root: string = PACKAGE_ROOT): string {
  return resolve(root, 'dist/server/main.js');
}
