import { hodgesLehmannShift } from '../../ci/stats/index.js';
import { formatMs, renderTable } from '../../lib/text-table.js';

/**
 * Our generator and Artillery against the same lab at the same rate, window by window (pure):
 * per tool and percentile the median over windows with its range, and Artillery's value relative
 * to ours as a Hodges–Lehmann ratio with its 95% interval (the windows of the two tools are two
 * independent samples). Ours is shown twice: from the intended send time (what the gate uses) and
 * as service time (from the actual send), the closer analogue of Artillery's time to first byte.
 */

export const COMPARED_METRICS = ['p50_ms', 'p90_ms', 'p95_ms', 'p99_ms', 'max_ms'] as const;
export type ComparedMetric = (typeof COMPARED_METRICS)[number];
export type WindowValues = Readonly<Record<ComparedMetric, number>>;

export interface ToolWindows {
  /** Our generator, latency from the intended send time. */
  oursIntended: readonly WindowValues[];
  /** Our generator, service time (from the request's actual send). */
  oursService: readonly WindowValues[];
  /** Artillery's http.response_time, one imported period per window. */
  artillery: readonly WindowValues[];
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  /** Standard deviation of the log values (≈ CV): window-to-window noise. */
  sigmaLog: number | null;
}

export interface Ratio {
  ratio: number;
  low: number;
  high: number;
}

export interface ComparisonRow {
  metric: ComparedMetric;
  oursIntended: Spread | null;
  oursService: Spread | null;
  artillery: Spread | null;
  /** Artillery / ours (intended send), and / ours (service time). */
  artilleryVsIntended: Ratio | null;
  artilleryVsService: Ratio | null;
}

export function compareTools(windows: ToolWindows): ComparisonRow[] {
  return COMPARED_METRICS.map((metric) => {
    const values = (side: readonly WindowValues[]) => side.map((w) => w[metric]).filter((v) => Number.isFinite(v));
    const intended = values(windows.oursIntended);
    const service = values(windows.oursService);
    const artillery = values(windows.artillery);
    return {
      metric,
      oursIntended: spread(intended),
      oursService: spread(service),
      artillery: spread(artillery),
      artilleryVsIntended: ratio(intended, artillery),
      artilleryVsService: ratio(service, artillery),
    };
  });
}

export function spread(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median =
    sorted.length % 2 === 1 ? (sorted[Math.floor(middle)] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  const positive = values.filter((v) => v > 0);
  let sigmaLog: number | null = null;
  if (positive.length >= 2) {
    const logs = positive.map(Math.log);
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    sigmaLog = Math.sqrt(logs.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (logs.length - 1));
  }
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, sigmaLog };
}

/** current / baseline as a Hodges–Lehmann ratio of log values, with its 95% interval; null without positive values on both sides. */
export function ratio(baseline: readonly number[], current: readonly number[]): Ratio | null {
  const a = baseline.filter((v) => v > 0).map(Math.log);
  const b = current.filter((v) => v > 0).map(Math.log);
  if (a.length === 0 || b.length === 0) return null;
  const shift = hodgesLehmannShift(a, b, { confidenceLevel: 0.95 });
  return { ratio: Math.exp(shift.shift), low: Math.exp(shift.low), high: Math.exp(shift.high) };
}

const signed = (r: number) => (Number.isFinite(r) ? `${r >= 1 ? '+' : ''}${((r - 1) * 100).toFixed(1)}%` : r > 0 ? '+∞' : '-∞');
const formatSpread = (s: Spread | null) => (s ? `${formatMs(s.median)} [${formatMs(s.min)}–${formatMs(s.max)}]` : '-');
const formatRatio = (r: Ratio | null) => (r ? `${signed(r.ratio)} [${signed(r.low)}, ${signed(r.high)}]` : '-');
const formatSigma = (s: Spread | null) => (s?.sigmaLog === null || s === null ? '-' : `${(s.sigmaLog * 100).toFixed(1)}%`);

export function formatComparison(rows: readonly ComparisonRow[]): string {
  const table = renderTable(
    [
      'metric',
      'ours, intended send: median [range] ms',
      'ours, service time',
      'artillery, to first byte',
      'artillery vs ours intended [95%]',
      'artillery vs ours service [95%]',
    ],
    rows.map((row) => [
      row.metric,
      formatSpread(row.oursIntended),
      formatSpread(row.oursService),
      formatSpread(row.artillery),
      formatRatio(row.artilleryVsIntended),
      formatRatio(row.artilleryVsService),
    ]),
  );
  const noise = renderTable(
    ['window-to-window noise (σ of log values)', 'ours, intended send', 'ours, service time', 'artillery'],
    rows.map((row) => [row.metric, formatSigma(row.oursIntended), formatSigma(row.oursService), formatSigma(row.artillery)]),
  );
  return `${table}\n\n${noise}\n`;
}
