/**
 * What an instruction count depends on besides the code: the architecture, Node (its V8 and
 * its built-ins), valgrind (the CPU it presents), and the CPU features that choose which code
 * V8 emits and which memcpy glibc runs. Measured on this VM (Node 20.20, valgrind 3.19), counts
 * per operation of the five tasks:
 *
 * - V8 limited to SSE2 code and glibc without AVX/AVX2/SSE4: the loop +10.6%, response-encode −3.3%;
 * - glibc without ERMS/FSRM (fast `rep movsb`): response-encode −3.3%, metrics −0.55%;
 * - V8 without BMI1/BMI2/LZCNT/POPCNT: no change beyond 0.005%;
 * - glibc without AVX-512: no change (valgrind does not present AVX-512, whatever the host has).
 *
 * So counts compare across machines that agree on these features, however fast they are.
 */
export const COUNT_RELEVANT_CPU_FEATURES = [
  'sse3',
  'ssse3',
  'sse4_1',
  'sse4_2',
  'popcnt',
  'avx',
  'avx2',
  'fma',
  'f16c',
  'bmi1',
  'bmi2',
  'abm',
  'movbe',
  'erms',
  'fsrm',
] as const;

/** The count-relevant features among a CPU's flags (`/proc/cpuinfo`'s `flags` line), in a fixed order. */
export function countRelevantFeatures(cpuFlags: readonly string[]): string[] {
  const present = new Set(cpuFlags);
  return COUNT_RELEVANT_CPU_FEATURES.filter((feature) => present.has(feature));
}

/** The `flags` (x86) or `Features` (arm) line of `/proc/cpuinfo`, split; empty when absent. */
export function parseCpuFlags(cpuinfo: string): string[] {
  const line = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(cpuinfo);
  return line?.[1]?.trim().split(/\s+/) ?? [];
}
