import { readResultsFixture } from '../support/results-fixture.js';
import { describe, expect, it } from 'vitest';
import { mergeLatency } from '../../bench/results/aggregate.js';
import { distributionChart, ninesToPercentile, percentileChart, trialsChart } from '../../bench/report/chart-data.js';

const results = readResultsFixture();
const trials = results.scenarios[0]?.trials ?? [];
const histograms = trials.map((t) => t.client.latencyHistogram);
const side = { label: 'current', color: '#000', pooled: histograms, trials: histograms };

describe('chart data recomputed from the HDR histograms in results.json', () => {
  it('puts percentiles on a "nines" axis: 90, 99, 99.9 evenly spaced', () => {
    expect([0, 1, 2, 3].map(ninesToPercentile)).toEqual([0, 90, 99, 99.9].map((p) => expect.closeTo(p, 9)));
  });

  it('draws the pooled curve through the same percentiles the runner reports, inside the trial-to-trial range', () => {
    const chart = percentileChart('c', [side]);
    if (!chart) throw new Error('no chart');
    const pooled = mergeLatency(histograms);
    const at = (nines: number) => chart.x.indexOf(nines);
    const [all, slowest, fastest] = chart.series;
    expect(all?.values[at(1)]).toBeCloseTo(pooled.p90Ms, 3);
    expect(all?.values[at(2)]).toBeCloseTo(pooled.p99Ms, 3);
    chart.x.forEach((_, k) => {
      expect(all?.values[k] as number).toBeLessThanOrEqual(slowest?.values[k] as number);
      expect(all?.values[k] as number).toBeGreaterThanOrEqual(fastest?.values[k] as number);
      if (k > 0) expect(all?.values[k] as number).toBeGreaterThanOrEqual(all?.values[k - 1] as number);
    });
    // 4 trials x ~40 requests: the axis stops where the data stop (p99.4 ≈ 2.2 nines).
    expect(chart.x.at(-1)).toBeCloseTo(Math.ceil(Math.log10(pooled.count) * 20) / 20, 6);
  });

  it('spreads the requests over log-spaced latency bins that add up to 100%', () => {
    const chart = distributionChart('d', [side], 30);
    if (!chart) throw new Error('no chart');
    expect(chart.x).toHaveLength(30);
    expect(chart.x[0]).toBeCloseTo(mergeLatency(histograms).minMs, 2);
    const total = (chart.series[0]?.values ?? []).reduce<number>((sum, v) => sum + (v ?? 0), 0);
    expect(total).toBeCloseTo(100, 0);
  });

  it('plots each trial in run order, with gaps for trials a side did not run', () => {
    const chart = trialsChart('t', [
      { label: 'current', trials: trials.slice(0, 2) },
      { label: 'baseline', trials },
    ]);
    expect(chart?.x).toEqual([1, 2, 3, 4]);
    expect(chart?.series[1]).toMatchObject({
      label: 'current p95',
      values: [trials[0]?.client.latency.p95Ms, trials[1]?.client.latency.p95Ms, null, null],
    });
  });

  it('has nothing to draw without requests', () => {
    expect(percentileChart('c', [{ ...side, pooled: [], trials: [] }])).toBeNull();
    expect(trialsChart('t', [{ label: 'x', trials: [] }])).toBeNull();
  });
});
