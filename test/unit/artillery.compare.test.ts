import { describe, expect, it } from 'vitest';
import { compareTools, formatComparison, ratio, spread, type WindowValues } from '../../bench/artillery/compare.js';

const windows = (p95s: readonly number[]): WindowValues[] =>
  p95s.map((p95) => ({ p50_ms: p95 / 4, p90_ms: p95 / 2, p95_ms: p95, p99_ms: p95 * 1.5, max_ms: p95 * 3 }));

describe('our generator and Artillery side by side', () => {
  it('summarise each tool’s windows by median, range and the spread of log values', () => {
    expect(spread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, sigmaLog: expect.closeTo(0.5555, 4) });
    expect(spread([4, 2])).toMatchObject({ median: 3, min: 2, max: 4 });
    expect(spread([5])).toEqual({ median: 5, min: 5, max: 5, sigmaLog: null });
    expect(spread([])).toBeNull();
  });

  it('put Artillery relative to ours as a Hodges–Lehmann ratio with its 95% interval', () => {
    const ours = [10, 10.2, 9.8, 10.1, 9.9, 10];
    const theirs = ours.map((v) => v * 0.8);
    const r = ratio(ours, theirs);
    expect(r?.ratio).toBeCloseTo(0.8, 10);
    expect(r?.low).toBeLessThan(0.8);
    expect(r?.high).toBeGreaterThan(0.8);
    expect(r?.high).toBeLessThan(1);
    expect(ratio([], theirs)).toBeNull();
  });

  it('compare every percentile, for ours from the intended send and as service time', () => {
    const rows = compareTools({
      oursIntended: windows([20, 21, 22]),
      oursService: windows([10, 10.5, 11]),
      artillery: windows([9, 9.5, 10]),
    });
    const p95 = rows.find((row) => row.metric === 'p95_ms');
    expect(p95?.oursIntended?.median).toBe(21);
    expect(p95?.artilleryVsService?.ratio).toBeCloseTo(9.5 / 10.5, 2);
    expect(p95?.artilleryVsIntended?.ratio).toBeLessThan(0.5);
    const text = formatComparison(rows);
    expect(text).toMatch(/^p95_ms +21\.0 \[20\.0–22\.0\] +10\.5 \[10\.0–11\.0\] +9\.5 \[9\.0–10\.0\] +-54\.8% \[/m);
    expect(text).toContain('window-to-window noise (σ of log values)');
  });
});
