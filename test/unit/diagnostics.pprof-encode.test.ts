import { Profile } from 'pprof-format';
import { describe, expect, it } from 'vitest';
import type { CpuProfile } from '../../server/diagnostics/cpu-profile.js';
import type { HeapProfile } from '../../server/diagnostics/heap-profile.js';
import { cpuProfileToPprof, displayName, heapProfileToPprof } from '../../server/diagnostics/pprof-encode.js';

const frame = (functionName: string, url = '', lineNumber = -1) => ({ functionName, scriptId: '1', url, lineNumber, columnNumber: 0 });

// (root) -> work (handler.js:10) -> simulateLoop (checksum.js:24), plus idle and GC.
const CPU: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), hitCount: 0, children: [2, 4, 5] },
    { id: 2, callFrame: frame('work', 'file:///app/handler.js', 9), hitCount: 1, children: [3] },
    {
      id: 3,
      callFrame: frame('simulateLoop', 'file:///app/checksum.js', 23),
      hitCount: 6,
      positionTicks: [
        { line: 30, ticks: 4 },
        { line: 31, ticks: 2 },
      ],
    },
    { id: 4, callFrame: frame('(idle)'), hitCount: 10 },
    { id: 5, callFrame: frame('(garbage collector)'), hitCount: 1 },
  ],
  startTime: 1_000_000,
  endTime: 1_018_000,
  samples: [],
  timeDeltas: [],
};
// 18 samples over 18 ms: the observed period is 1 ms.
CPU.samples = [2, 3, 3, 3, 3, 3, 3, 5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4];
CPU.timeDeltas = CPU.samples.map(() => 1_000);

/** Decoded samples as "leaf;...;root line => values". */
function stacks(profile: Profile): Map<string, number[]> {
  const decoded = Profile.decode(profile.encode());
  const strings = decoded.stringTable.strings;
  const fnById = new Map(decoded.function.map((f) => [Number(f.id), f]));
  const locById = new Map(decoded.location.map((l) => [Number(l.id), l]));
  const out = new Map<string, number[]>();
  for (const sample of decoded.sample) {
    const key = sample.locationId
      .map((id) => {
        const line = locById.get(Number(id))!.line[0]!;
        const fn = fnById.get(Number(line.functionId))!;
        return `${strings[Number(fn.name)]}@${strings[Number(fn.filename)]}:${Number(line.line)}`;
      })
      .join(';');
    out.set(key, sample.value.map(Number));
  }
  return out;
}

describe('cpuProfileToPprof', () => {
  const profile = cpuProfileToPprof(CPU, { startedEpochMs: 1_700_000_000_000 });

  it('keeps function names, file paths and per-line hits; drops idle time', () => {
    expect(stacks(profile)).toEqual(
      new Map([
        ['work@/app/handler.js:10', [1, 1_000_000]],
        ['simulateLoop@/app/checksum.js:30;work@/app/handler.js:10', [4, 4_000_000]],
        ['simulateLoop@/app/checksum.js:31;work@/app/handler.js:10', [2, 2_000_000]],
        ['(garbage collector)@:0', [1, 1_000_000]],
      ]),
    );
  });

  it('records the period, the duration and the wall-clock start', () => {
    expect(Number(profile.period)).toBe(1_000_000);
    expect(Number(profile.durationNanos)).toBe(18_000_000);
    expect(BigInt(profile.timeNanos)).toBe(1_700_000_000_000_000_000n);
  });
});

describe('heapProfileToPprof', () => {
  const heap: HeapProfile = {
    head: {
      id: 1,
      callFrame: frame('(root)'),
      selfSize: 0,
      children: [
        {
          id: 2,
          callFrame: frame('handler', 'file:///app/handler.js', 4),
          selfSize: 0,
          children: [{ id: 3, callFrame: frame('buildPayload', 'file:///app/payload.js', 11), selfSize: 1_048_576, children: [] }],
        },
      ],
    },
    samples: [
      { size: 524_288, nodeId: 3, ordinal: 1 },
      { size: 524_288, nodeId: 3, ordinal: 2 },
    ],
  };

  it('attributes sampled bytes and sample counts to the allocating stack', () => {
    const profile = heapProfileToPprof(heap, { startedEpochMs: 0, durationMs: 1_000, mode: 'alloc', samplingIntervalBytes: 524_288 });
    expect(stacks(profile)).toEqual(new Map([['buildPayload@/app/payload.js:12;handler@/app/handler.js:5', [2, 1_048_576]]]));
    const strings = profile.stringTable.strings;
    expect(strings[Number(profile.defaultSampleType)]).toBe('alloc_space');
    expect(Number(profile.period)).toBe(524_288);
  });
});

describe('displayName', () => {
  it('gives anonymous functions their file and line so pprof does not merge them', () => {
    expect(displayName(frame('', 'file:///app/handler.js', 60), '/app/handler.js')).toBe('(anonymous handler.js:61)');
    expect(displayName(frame('named'), '')).toBe('named');
    expect(displayName(frame(''), '')).toBe('(anonymous)');
  });
});
