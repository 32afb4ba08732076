import { mkdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ProfileFile } from './types.js';

/** `<run>/profiles/<scenario>[/<sub>]`, created; scenario names are already path-safe, this makes sure. */
export async function profileDir(runDir: string, scenario: string, sub?: string): Promise<string> {
  const dir = join(runDir, 'profiles', scenario.replace(/[^A-Za-z0-9._-]/g, '-'), ...(sub ? [sub] : []));
  await mkdir(dir, { recursive: true });
  return dir;
}

/** A written file as results.json records it: relative to the run folder, with its size. */
export async function profileFile(runDir: string, path: string, kind: ProfileFile['kind']): Promise<ProfileFile> {
  const { size } = await stat(path);
  return { kind, path: relative(runDir, path).split(sep).join('/'), bytes: size };
}

export function fileKindOf(path: string): ProfileFile['kind'] {
  if (path.endsWith('.cpuprofile')) return 'cpuprofile';
  if (path.includes('clinic-doctor')) return 'doctor-html';
  return 'flamegraph-html';
}
