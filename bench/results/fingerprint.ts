import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { arch, cpus, hostname, loadavg, platform, release, totalmem } from 'node:os';
import { promisify } from 'node:util';
import { MACHINE_ID_VARIABLE, type EnvironmentFingerprint } from '../../ci/gate/machine.js';
import { countRelevantFeatures, parseCpuFlags } from '../micro/counts-platform.js';

const run = promisify(execFile);

export async function environmentFingerprint(root: string): Promise<EnvironmentFingerprint> {
  const cpuList = cpus();
  const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return {
    machineId: machineIdentity(),
    node: process.version,
    v8: process.versions.v8,
    os: { platform: platform(), release: release(), arch: arch() },
    cpu: { model: cpuList[0]?.model.trim() ?? 'unknown', cores: cpuList.length },
    totalMemoryBytes: totalmem(),
    loadAverage1m: loadavg()[0] ?? 0,
    git: await gitState(root),
    tool: { name: pkg.name, version: pkg.version },
    counts: { arch: arch(), node: process.version, valgrind: await valgrindVersion(), cpuFeatures: countRelevantFeatures(readCpuFlags()) },
  };
}

async function valgrindVersion(): Promise<string | null> {
  try {
    return (await run('valgrind', ['--version'])).stdout.trim() || null;
  } catch {
    return null;
  }
}

function readCpuFlags(): string[] {
  try {
    return parseCpuFlags(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return []; // not Linux
  }
}

export function machineIdentity(env: NodeJS.ProcessEnv = process.env, bootId: string | null = readBootId()): string {
  const named = env[MACHINE_ID_VARIABLE]?.trim();
  if (named !== undefined && named !== '') return named;
  return bootId === null ? hostname() : `${hostname()} boot ${bootId.slice(0, 8)}`;
}

function readBootId(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null; // not Linux
  }
}

async function gitState(root: string): Promise<EnvironmentFingerprint['git']> {
  try {
    const { stdout: commit } = await run('git', ['rev-parse', 'HEAD'], { cwd: root });
    const { stdout: status } = await run('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root });
    return { commit: commit.trim(), dirty: status.trim() !== '' };
  } catch {
    return { commit: null, dirty: null };
  }
}
