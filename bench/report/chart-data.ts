import { build, decodeFromCompressedBase64 } from 'hdr-histogram-js';
import type { TrialResult } from '../results/trial.js';

/** One line of a chart; `values` line up with the chart's `x`. */
export interface ChartSeries {
  label: string;
  values: Array<number | null>;
  color: string;
  /** Canvas dash pattern in px: baseline lines are dashed so colour is never the only cue. */
  dash?: number[];
  width?: number;
  points?: boolean;
}

/**
 * Everything the page script needs to draw one uPlot chart; serialised into the page as JSON.
 * `xScale`: `nines` plots percentile p at −log10(1 − p/100) so 90, 99, 99.9 are evenly spaced.
 */
export interface ChartSpec {
  id: string;
  /** Read by screen readers (aria-label) with the figure's caption. */
  title: string;
  xLabel: string;
  yLabel: string;
  xScale: 'nines' | 'log' | 'linear' | 'time';
  yScale?: 'linear' | 'log';
  stepped?: boolean;
  x: number[];
  series: ChartSeries[];
  /** Shade between two series (indices into `series`, upper first): the trial-to-trial range. */
  bands?: Array<[number, number]>;
}

/** A side of a comparison as the charts need it. */
export interface LatencySide {
  label: string;
  color: string;
  dash?: number[];
  /** Encoded HDR histograms (µs) of the trials that count: pooled into the main curve. */
  pooled: string[];
  /** Every trial's histogram, for the trial-to-trial range. */
  trials: string[];
}

export const COLORS = {
  current: '#0f5499',
  baseline: '#b4440c',
  p50: '#1e7a34',
  p95: '#0f5499',
  p99: '#9b2c6f',
} as const;
export const BASELINE_DASH = [6, 4];

type Histogram = ReturnType<typeof build>;

/** Client latency against percentile, pooled per side, with each side's trial-to-trial range. */
export function percentileChart(id: string, sides: readonly LatencySide[]): ChartSpec | null {
  const pooled = sides.map((side) => decodeMerged(side.pooled));
  const maxCount = Math.max(0, ...pooled.map((h) => h?.totalCount ?? 0));
  if (maxCount === 0) {
    for (const h of pooled) h?.destroy();
    return null;
  }
  // Beyond 1/count the curve only repeats the maximum; show up to p99.99 at most.
  const maxNines = Math.min(4, Math.max(2, Math.ceil(Math.log10(maxCount) * 20) / 20));
  const x: number[] = [];
  for (let nines = 0; nines <= maxNines + 1e-9; nines += 0.05) x.push(round(nines, 2));
  const percentiles = x.map(ninesToPercentile);

  const series: ChartSeries[] = [];
  const bands: Array<[number, number]> = [];
  sides.forEach((side, i) => {
    const histogram = pooled[i];
    if (!histogram || histogram.totalCount === 0) return;
    series.push({
      label: `${side.label} (all trials)`,
      values: quantilesMs(histogram, percentiles),
      color: side.color,
      width: 2.5,
      ...dash(side),
    });
    if (side.trials.length > 1) {
      const perTrial = side.trials.map((encoded) => {
        const h = decodeMerged([encoded]);
        const values = h && h.totalCount > 0 ? quantilesMs(h, percentiles) : null;
        h?.destroy();
        return values;
      });
      const valid = perTrial.filter((v): v is number[] => v !== null);
      if (valid.length > 1) {
        const upper = percentiles.map((_, k) => Math.max(...valid.map((v) => v[k] as number)));
        const lower = percentiles.map((_, k) => Math.min(...valid.map((v) => v[k] as number)));
        series.push({ label: `${side.label} slowest trial`, values: upper, color: translucent(side.color), width: 1, ...dash(side) });
        series.push({ label: `${side.label} fastest trial`, values: lower, color: translucent(side.color), width: 1, ...dash(side) });
        bands.push([series.length - 2, series.length - 1]);
      }
    }
  });
  for (const h of pooled) h?.destroy();
  return {
    id,
    title: 'Client latency by percentile',
    xLabel: 'percentile (log scale of 1 − p: 90%, 99%, 99.9% evenly spaced)',
    yLabel: 'latency (ms)',
    xScale: 'nines',
    x,
    series,
    ...(bands.length > 0 ? { bands } : {}),
  };
}

/** How latencies spread: the share of requests in each of `binCount` log-spaced latency bins. */
export function distributionChart(id: string, sides: readonly LatencySide[], binCount = 40): ChartSpec | null {
  const histograms = sides.map((side) => decodeMerged(side.pooled));
  const present = histograms.filter((h): h is Histogram => h !== null && h.totalCount > 0);
  if (present.length === 0) {
    for (const h of histograms) h?.destroy();
    return null;
  }
  const lowMs = Math.max(0.001, Math.min(...present.map((h) => h.minNonZeroValue / 1000)));
  const highMs = Math.max(lowMs * 1.01, ...present.map((h) => h.maxValue / 1000));
  const edges = Array.from({ length: binCount + 1 }, (_, i) => lowMs * (highMs / lowMs) ** (i / binCount));
  // The quantile function on a fine grid: each grid point stands for 1/GRID of the requests.
  const GRID = 2000;
  const grid = Array.from({ length: GRID }, (_, k) => ((k + 0.5) / GRID) * 100);
  const series: ChartSeries[] = [];
  sides.forEach((side, i) => {
    const histogram = histograms[i];
    if (!histogram || histogram.totalCount === 0) return;
    const counts = new Array<number>(binCount).fill(0);
    for (const value of quantilesMs(histogram, grid)) {
      const bin = Math.min(binCount - 1, Math.max(0, Math.floor((Math.log(value / lowMs) / Math.log(highMs / lowMs)) * binCount)));
      counts[bin] = (counts[bin] ?? 0) + 1;
    }
    series.push({ label: side.label, values: counts.map((c) => round((c / GRID) * 100, 2)), color: side.color, width: 2, ...dash(side) });
  });
  for (const h of histograms) h?.destroy();
  return {
    id,
    title: 'Client latency distribution',
    xLabel: 'latency (ms, log scale; bin lower edge)',
    yLabel: 'share of requests (%)',
    xScale: 'log',
    stepped: true,
    x: edges.slice(0, binCount).map((e) => round(e, 4)),
    series,
  };
}

/** p50/p95/p99 of every trial, in the order they ran, per side: the run-to-run noise. */
export function trialsChart(
  id: string,
  sides: ReadonlyArray<{ label: string; dash?: number[]; trials: readonly TrialResult[] }>,
): ChartSpec | null {
  const count = Math.max(0, ...sides.map((s) => s.trials.length));
  if (count === 0) return null;
  const x = Array.from({ length: count }, (_, i) => i + 1);
  const series: ChartSeries[] = [];
  for (const side of sides) {
    for (const [key, color, name] of [
      ['p50Ms', COLORS.p50, 'p50'],
      ['p95Ms', COLORS.p95, 'p95'],
      ['p99Ms', COLORS.p99, 'p99'],
    ] as const) {
      const values = x.map((index) => {
        const trial = side.trials.find((t) => t.index === index);
        return trial && trial.client.latency.count > 0 ? round(trial.client.latency[key], 4) : null;
      });
      series.push({ label: `${side.label} ${name}`, values, color, width: 1.5, points: true, ...dash(side) });
    }
  }
  return { id, title: 'Client latency per trial', xLabel: 'trial', yLabel: 'latency (ms)', xScale: 'linear', x, series };
}

/** A scenario's pooled p95 and p99 across runs, oldest first. */
export function trendChart(
  id: string,
  scenario: string,
  points: ReadonlyArray<{ startedAtSeconds: number; p95Ms: number | null; p99Ms: number | null }>,
): ChartSpec | null {
  if (points.length === 0) return null;
  return {
    id,
    title: `${scenario}: client p95 and p99 across runs`,
    xLabel: 'run start time',
    yLabel: 'latency (ms)',
    xScale: 'time',
    x: points.map((p) => p.startedAtSeconds),
    series: [
      { label: 'p95', values: points.map((p) => p.p95Ms), color: COLORS.p95, width: 2, points: true },
      { label: 'p99', values: points.map((p) => p.p99Ms), color: COLORS.p99, width: 2, points: true },
    ],
  };
}

/** p on the "nines" axis: 0 -> 0%, 1 -> 90%, 2 -> 99%, 3 -> 99.9%. */
export function ninesToPercentile(nines: number): number {
  return 100 * (1 - 10 ** -nines);
}

function decodeMerged(encoded: readonly string[]): Histogram | null {
  if (encoded.length === 0) return null;
  const merged = build({ numberOfSignificantValueDigits: 3 });
  for (const text of encoded) {
    const histogram = decodeFromCompressedBase64(text);
    merged.add(histogram);
    histogram.destroy();
  }
  return merged;
}

function quantilesMs(histogram: Histogram, percentiles: readonly number[]): number[] {
  return percentiles.map((p) => round(histogram.getValueAtPercentile(p) / 1000, 4));
}

function dash(side: { dash?: number[] }): { dash?: number[] } {
  return side.dash ? { dash: side.dash } : {};
}

function translucent(color: string): string {
  return `${color}99`;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
