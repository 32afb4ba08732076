import { execFile, execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';

/**
 * Which CPUs the labs and the load generator run on (taskset CPU lists), or null to let the
 * scheduler decide. Pinning every lab to one CPU and the generator to the others removes a bias
 * measured on a 2-vCPU VM: two identical lab processes settled on different CPUs differed by
 * ~25% in CPU time per request for a whole run, which an A/B comparison reads as a regression.
 */
export interface CpuPlan {
  labCpus: string | null;
  generatorCpus: string | null;
}

export const NO_PINNING: CpuPlan = { labCpus: null, generatorCpus: null };

/** Pure: the last CPU for labs, the rest for the generator; nothing to pin on one CPU. */
export function planCpus(cpuCount: number, canPin: boolean): CpuPlan {
  if (!canPin || cpuCount < 2) return NO_PINNING;
  const last = cpuCount - 1;
  return { labCpus: String(last), generatorCpus: last === 1 ? '0' : `0-${last - 1}` };
}

/** This machine's plan: pins when `taskset` (util-linux) is available. */
export function detectCpuPlan(): CpuPlan {
  let canPin = false;
  if (process.platform === 'linux') {
    try {
      execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
      canPin = true;
    } catch {
      canPin = false;
    }
  }
  return planCpus(availableParallelism(), canPin);
}

/** Moves a running process (all its threads) onto `cpus`; best effort. */
export async function pinProcess(pid: number, cpus: string): Promise<void> {
  await promisify(execFile)('taskset', ['-a', '-p', '-c', cpus, String(pid)]).catch(() => {});
}

/** `command args` prefixed to start pinned (taskset execs, so the pid stays the command's). */
export function pinnedCommand(command: string, args: readonly string[], cpus: string | null): { command: string; args: string[] } {
  return cpus === null ? { command, args: [...args] } : { command: 'taskset', args: ['-c', cpus, command, ...args] };
}
