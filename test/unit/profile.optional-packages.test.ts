import { describe, expect, it } from 'vitest';
import { missingProfilerPackage } from '../../bench/profile/optional-packages.js';

describe('the optional profiler packages', () => {
  it('are found in this repository, where they are dev dependencies', () => {
    expect(missingProfilerPackage('0x')).toBeNull();
    expect(missingProfilerPackage('clinic-flame')).toBeNull();
    expect(missingProfilerPackage('clinic-doctor')).toBeNull();
  });

  it('when missing, name the package to install in one line', () => {
    const nothing = () => false;
    expect(missingProfilerPackage('0x', nothing)).toBe(
      '0x is not installed (an optional peer dependency of metric-lab): npm install --save-dev 0x@^6',
    );
    expect(missingProfilerPackage('flamegraph-html', nothing)).toMatch(/npm install --save-dev 0x@\^6$/);
    expect(missingProfilerPackage('clinic-doctor', nothing)).toMatch(
      /^@clinic\/doctor is not installed .*npm install --save-dev clinic@\^13$/,
    );
  });
});
