import { describe, expect, it } from 'vitest';
import { countRelevantFeatures, parseCpuFlags } from '../../bench/micro/counts-platform.js';

describe('the CPU features instruction counts depend on', () => {
  it('are read from /proc/cpuinfo and listed in a fixed order, AVX-512 left out (valgrind does not present it)', () => {
    const cpuinfo = 'processor\t: 0\nflags\t\t: fpu sse2 fsrm avx512f erms avx2 avx popcnt sse4_2 bmi2\nbogomips\t: 1\nflags\t\t: other\n';
    const flags = parseCpuFlags(cpuinfo);
    expect(flags).toContain('avx512f');
    expect(countRelevantFeatures(flags)).toEqual(['sse4_2', 'popcnt', 'avx', 'avx2', 'bmi2', 'erms', 'fsrm']);
  });

  it('are empty where the file has no flags line (not Linux x86)', () => {
    expect(parseCpuFlags('')).toEqual([]);
    expect(parseCpuFlags('Features\t: fp asimd crc32\n')).toEqual(['fp', 'asimd', 'crc32']);
  });
});
