import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { arch, cpus, hostname, loadavg, platform, release, totalmem } from 'node:os';
import { promisify } from 'node:util';

/** Where and on what a run happened; latency numbers are only comparable on matching machines. */
export interface EnvironmentFingerprint {
  /**
   * Which machine: `METRIC_LAB_MACHINE_ID` when set (name a dedicated runner, or a pool of
   * identical ones, to share baselines across reboots), else the host name and this boot's id.
   * Cloud VMs share host names and images, and one VM type varies by more than the gate's
   * margins, so without a name latency is only compared within one boot of one machine.
   */
  machineId?: string;
  node: string;
  v8: string;
  os: { platform: string; release: string; arch: string };
  cpu: { model: string; cores: number };
  totalMemoryBytes: number;
  /** 1-minute load average when the run started: a busy machine explains noisy numbers. */
  loadAverage1m: number;
  git: { commit: string | null; dirty: boolean | null };
  tool: { name: string; version: string };
}

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
  };
}

export const MACHINE_ID_VARIABLE = 'METRIC_LAB_MACHINE_ID';

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

/** The parts that must match for latency numbers to be compared across runs. */
export function machineKey(fingerprint: EnvironmentFingerprint): string {
  const nodeMajor = fingerprint.node.split('.')[0];
  return `machine "${fingerprint.machineId ?? 'unknown'}" (${fingerprint.cpu.model} x${fingerprint.cpu.cores}, ${fingerprint.os.platform}-${fingerprint.os.arch}, node ${nodeMajor})`;
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
