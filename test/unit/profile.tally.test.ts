import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cpuProfileStacks, parseCpuProfile, tallyCpuProfile, type CpuProfile } from '../../bench/profile/cpuprofile.js';
import { hottestFunctions, relativeLocation } from '../../bench/profile/stack-tally.js';

async function current(): Promise<CpuProfile> {
  const parsed = parseCpuProfile(await readFile(new URL('../fixtures/profile/current.cpuprofile.json', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.profile;
}

describe('tallying a .cpuprofile', () => {
  it('counts self and total samples per function over busy samples, idle apart', async () => {
    const profile = await current();
    const { idleSamples, sampleMs } = cpuProfileStacks(profile, ['/work/checkout']);
    expect(idleSamples).toBe(50);
    expect(sampleMs).toBe(1);
    const tally = tallyCpuProfile(profile, ['/work/checkout']);
    expect(tally.busySamples).toBe(200);
    const counts = Object.fromEntries([...tally.functions.values()].map((f) => [f.functionName, [f.selfSamples, f.totalSamples]]));
    expect(counts).toEqual({ handle: [20, 200], fastPath: [60, 60], slowPath: [100, 100], parse: [20, 20] });
  });

  it('falls back to hitCount when a profile has no samples array', async () => {
    const { samples: _samples, timeDeltas: _deltas, ...withoutSamples } = await current();
    const tally = tallyCpuProfile(withoutSamples, ['/work/checkout']);
    expect(tally.busySamples).toBe(200);
    expect(tally.functions.get('slowPath dist/server/work.js')?.selfSamples).toBe(100);
  });

  it('names the widest frames (most self time), leaving out V8 pseudo-frames', async () => {
    const hottest = hottestFunctions(tallyCpuProfile(await current(), ['/work/checkout']), 2);
    expect(hottest).toEqual([
      { functionName: 'slowPath', location: 'dist/server/work.js', selfShare: 0.5, totalShare: 0.5 },
      { functionName: 'fastPath', location: 'dist/server/work.js', selfShare: 0.3, totalShare: 0.3 },
    ]);
  });

  it('makes locations relative to the lab root, and dependencies relative to node_modules', () => {
    expect(relativeLocation('file:///tmp/metric-lab-1a2b/dist/server/work/checksum.js', ['/tmp/metric-lab-1a2b'])).toBe(
      'dist/server/work/checksum.js',
    );
    expect(relativeLocation('/work/main/node_modules/express/lib/router.js', ['/tmp/other'])).toBe('node_modules/express/lib/router.js');
    expect(relativeLocation('node:internal/timers', ['/work/main'])).toBe('node:internal/timers');
    expect(relativeLocation('', ['/work/main'])).toBe('');
  });

  it('rejects what is not a CPU profile, naming the field', () => {
    expect(parseCpuProfile('{"nodes": []}')).toEqual({ ok: false, reason: expect.stringMatching(/^not a V8 CPU profile: nodes: /) });
    expect(parseCpuProfile('nope')).toEqual({ ok: false, reason: expect.stringMatching(/^not JSON/) });
  });
});
