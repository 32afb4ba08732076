import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseCpuProfile, type CpuProfile } from '../../bench/profile/cpuprofile.js';
import { diffCpuProfiles } from '../../bench/profile/differential.js';

async function fixture(name: string): Promise<CpuProfile> {
  const parsed = parseCpuProfile(await readFile(new URL(`../fixtures/profile/${name}.cpuprofile.json`, import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.profile;
}

// The fixtures, by construction (1 ms per sample on both sides):
//   baseline (built in /tmp/wt-base): busy 100 = handle 10 self, fastPath 60, parse 30; idle 100
//   current (built in /work/checkout): busy 200 = handle 20 self, fastPath 60,
//     slowPath 100 (40 + 60 in a recursive call), parse 20; idle 50
describe('diffCpuProfiles', () => {
  it('ranks the function whose share of busy samples grew, lining up two builds by root-relative location', async () => {
    const diff = diffCpuProfiles(
      { profile: await fixture('baseline'), root: '/tmp/wt-base' },
      { profile: await fixture('current'), root: '/work/checkout' },
    );
    expect(diff.baselineBusySamples).toBe(100);
    expect(diff.currentBusySamples).toBe(200);

    // handle kept its 10% self share; fastPath and parse lost share: only slowPath grew.
    expect(diff.bySelf).toEqual([
      {
        functionName: 'slowPath',
        location: 'dist/server/work.js',
        baseline: { selfShare: 0, totalShare: 0, selfMs: 0, totalMs: 0 },
        // Recursion: 100 samples with slowPath on the stack, counted once each.
        current: { selfShare: 0.5, totalShare: 0.5, selfMs: 100, totalMs: 100 },
        selfShareChange: 0.5,
        totalShareChange: 0.5,
      },
    ]);
    expect(diff.byTotal.map((r) => [r.functionName, r.totalShareChange])).toEqual([['slowPath', 0.5]]);
  });

  it('reports the functions that lost share as negative changes when the sides are swapped', async () => {
    const diff = diffCpuProfiles(
      { profile: await fixture('current'), root: '/work/checkout' },
      { profile: await fixture('baseline'), root: '/tmp/wt-base' },
    );
    expect(diff.bySelf.map((r) => [r.functionName, Number(r.selfShareChange.toFixed(6))])).toEqual([
      ['fastPath', 0.3],
      ['parse', 0.2],
    ]);
    const fast = diff.bySelf[0];
    expect(fast?.current.selfMs).toBe(60);
    expect(fast?.baseline.selfShare).toBeCloseTo(0.3, 10);
  });

  it('limits the rows and finds nothing grew between a profile and itself', async () => {
    const current = await fixture('current');
    const same = diffCpuProfiles({ profile: current, root: '/work/checkout' }, { profile: current, root: '/work/checkout' });
    expect(same.bySelf).toEqual([]);
    expect(same.byTotal).toEqual([]);
    const limited = diffCpuProfiles(
      { profile: await fixture('current'), root: '/work/checkout' },
      { profile: await fixture('baseline'), root: '/tmp/wt-base' },
      1,
    );
    expect(limited.bySelf).toHaveLength(1);
  });
});
