/**
 * 0x and clinic are optional peer dependencies: together ~185 MB of node_modules (measured: 0x
 * 31 MB, clinic 154 MB) that a project installing metric-lab as a CI gate should not have to
 * carry. This repository installs them as dev dependencies; elsewhere a profile that needs one
 * says which package to add instead of failing inside the profiler worker.
 */
import { createRequire } from 'node:module';
import type { ProfileKind } from './types.js';

const require = createRequire(import.meta.url);

/** What the profiler worker loads for each job, and the package a user installs to get it. */
const NEEDS: Record<Exclude<ProfileKind, 'cpuprofile'> | 'flamegraph-html', { module: string; install: string }> = {
  '0x': { module: '0x', install: '0x@^6' },
  'flamegraph-html': { module: '0x', install: '0x@^6' },
  'clinic-flame': { module: '@clinic/flame', install: 'clinic@^13' },
  'clinic-doctor': { module: '@clinic/doctor', install: 'clinic@^13' },
};

export type ProfilerNeed = keyof typeof NEEDS;

function resolvable(module: string): boolean {
  try {
    require.resolve(module);
    return true;
  } catch {
    return false;
  }
}

/** null when `need` can run here; else one line naming the package to install. */
export function missingProfilerPackage(need: ProfilerNeed, canResolve: (module: string) => boolean = resolvable): string | null {
  const { module, install } = NEEDS[need];
  if (canResolve(module)) return null;
  return `${module} is not installed (an optional peer dependency of metric-lab): npm install --save-dev ${install}`;
}
