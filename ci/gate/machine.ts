import { z } from 'zod';

/**
 * Where and on what a run happened, as results and baselines store it. Latency is only
 * comparable between runs whose `machineKey` matches; answers (checksums) always are.
 */
export const environmentSchema = z.object({
  /**
   * Which machine: `METRIC_LAB_MACHINE_ID` when set (name a dedicated runner, or a pool of
   * identical ones, to share baselines across reboots), else the host name and this boot's id.
   * Cloud VMs share host names and images, and one VM type varies by more than the gate's
   * margins, so without a name latency is only compared within one boot of one machine.
   */
  machineId: z.string().optional(),
  node: z.string(),
  v8: z.string(),
  os: z.object({ platform: z.string(), release: z.string(), arch: z.string() }),
  cpu: z.object({ model: z.string(), cores: z.number().int().positive() }),
  totalMemoryBytes: z.number().nonnegative(),
  /** 1-minute load average when the run started: a busy machine explains noisy numbers. */
  loadAverage1m: z.number().nonnegative(),
  git: z.object({ commit: z.string().nullable(), dirty: z.boolean().nullable() }),
  tool: z.object({ name: z.string(), version: z.string() }),
  /**
   * What instruction counts depend on (absent in files written before they were gated): counts
   * recorded on another machine compare when all of this matches, whatever its speed.
   */
  counts: z
    .object({
      arch: z.string(),
      node: z.string(),
      /** `valgrind --version`; null where valgrind is missing. */
      valgrind: z.string().nullable(),
      /** The CPU features that change the code V8 and glibc run under valgrind (bench/micro/counts-platform.ts). */
      cpuFeatures: z.array(z.string()),
    })
    .optional(),
});

export type EnvironmentFingerprint = z.infer<typeof environmentSchema>;

export const MACHINE_ID_VARIABLE = 'METRIC_LAB_MACHINE_ID';

/** The parts that must match for latency numbers to be compared across runs. */
export function machineKey(fingerprint: EnvironmentFingerprint): string {
  const nodeMajor = fingerprint.node.split('.')[0];
  return `machine "${fingerprint.machineId ?? 'unknown'}" (${fingerprint.cpu.model} x${fingerprint.cpu.cores}, ${fingerprint.os.platform}-${fingerprint.os.arch}, node ${nodeMajor})`;
}

/** Null when latency recorded on `then` can be compared with latency measured `now`. */
export function machineMismatch(then: EnvironmentFingerprint, now: EnvironmentFingerprint): string | null {
  const recorded = machineKey(then);
  const current = machineKey(now);
  if (recorded === current) return null;
  return `the baseline was recorded on ${recorded}, this machine is ${current}: latency is not comparable across machines (use --against <git-ref> to compare on this machine, or set ${MACHINE_ID_VARIABLE} to the same name on identical benchmark runners)`;
}

/** Instruction counts' platform, in words; null when the fingerprint predates it. */
export function countsKey(fingerprint: EnvironmentFingerprint): string | null {
  const c = fingerprint.counts;
  if (c === undefined) return null;
  return `${c.arch}, node ${c.node}, ${c.valgrind ?? 'no valgrind'}, CPU features ${c.cpuFeatures.join(' ') || '(none listed)'}`;
}

/** Null when instruction counts recorded on `then` can be compared with counts measured `now`. */
export function countsMismatch(then: EnvironmentFingerprint, now: EnvironmentFingerprint): string | null {
  const recorded = countsKey(then);
  const current = countsKey(now);
  if (recorded === null) return 'the baseline predates instruction-count fingerprints; re-record it with npm run baseline';
  if (recorded === current) return null;
  return `instruction counts were recorded on ${recorded}; here: ${current ?? 'unknown'}: counts depend on these (use --against <git-ref> to compare here)`;
}
