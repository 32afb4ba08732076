import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { exactSectionDeltas, mergeExactSections, type HdrSnapshot } from '../../bench/results/section-hdr.js';

/** A snapshot as the lab serves it: cumulative microsecond histograms with exact sums. */
function snapshot(sections: Record<string, number[]>): HdrSnapshot {
  return {
    unit: 'microseconds',
    sections: Object.fromEntries(
      Object.entries(sections).map(([name, micros]) => {
        const histogram = build({ numberOfSignificantValueDigits: 3 });
        for (const value of micros) histogram.recordValue(value);
        const encoded = encodeIntoCompressedBase64(histogram);
        histogram.destroy();
        return [name, { count: micros.length, sumMicros: micros.reduce((a, b) => a + b, 0), histogram: encoded }];
      }),
    ),
  };
}

const range = (from: number, to: number, step = 1) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

describe('exact section timings between two reads of the lab', () => {
  it('subtract the earlier histogram: only the trial’s observations count', () => {
    // Before the trial: 100 observations at 9 ms. During it: 1..100 ms more in 1 ms steps.
    const before = snapshot({ loop: Array(100).fill(9_000) });
    const after = snapshot({ loop: [...Array(100).fill(9_000), ...range(1_000, 100_000, 1_000)] });
    const delta = exactSectionDeltas(before, after).loop!;
    expect(delta.count).toBe(100);
    expect(delta.meanMs).toBeCloseTo(50.5, 9);
    // 3 significant digits: each value is within 0.1% of the true percentile of 1..100 ms.
    expect(delta.p50Ms).toBeCloseTo(50, 1);
    expect(delta.p95Ms).toBeCloseTo(95, 0);
    expect(delta.p99Ms).toBeCloseTo(99, 0);
  });

  it('move inside what would be one Prometheus bucket (5–10 ms): +10% in the loop shows as +10%', () => {
    const base = exactSectionDeltas(null, snapshot({ loop: range(6_000, 8_000, 20) })).loop!;
    const slower = exactSectionDeltas(null, snapshot({ loop: range(6_000, 8_000, 20).map((v) => v * 1.1) })).loop!;
    expect((slower.p95Ms ?? 0) / (base.p95Ms ?? 1)).toBeCloseTo(1.1, 2);
    expect((slower.meanMs ?? 0) / (base.meanMs ?? 1)).toBeCloseTo(1.1, 6);
  });

  it('leave out sections with no new observation, and treat a lower count as a new lab process', () => {
    const before = snapshot({ loop: [5_000, 6_000], db_query: [1_000] });
    expect(Object.keys(exactSectionDeltas(before, snapshot({ loop: [5_000, 6_000, 7_000], db_query: [1_000] })))).toEqual(['loop']);
    const restarted = exactSectionDeltas(before, snapshot({ loop: [8_000] })).loop!;
    expect(restarted).toMatchObject({ count: 1, meanMs: 8 });
  });

  it('pool trials: counts add, the mean is count-weighted, percentiles come from the merged histogram', () => {
    const a = exactSectionDeltas(null, snapshot({ loop: range(1_000, 50_000, 1_000) }));
    const b = exactSectionDeltas(null, snapshot({ loop: range(51_000, 100_000, 1_000) }));
    const pooled = mergeExactSections([a, b]).loop!;
    expect(pooled.count).toBe(100);
    expect(pooled.meanMs).toBeCloseTo(50.5, 9);
    expect(pooled.p95Ms).toBeCloseTo(95, 0);
  });

  it('subtract an earlier maximum that lies in the last sub-bucket of the decoded range (hdr-histogram-js refused 65528 µs)', () => {
    for (const maximum of [65_528, 65_535, 131_056, 1_000, 250_000]) {
      const delta = exactSectionDeltas(snapshot({ s: [5, maximum] }), snapshot({ s: [5, maximum, 7_000] })).s!;
      expect(delta.count).toBe(1);
      expect(delta.p50Ms).toBeCloseTo(7, 1);
    }
  });
});
