import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Whether `name` is an executable on PATH (wrk, taskset, valgrind, …), without starting anything. */
export function commandExists(name: string, path: string = process.env.PATH ?? ''): boolean {
  return commandPath(name, path) !== null;
}

/** The absolute path of `name` on PATH, or null. */
export function commandPath(name: string, path: string = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return null;
}
