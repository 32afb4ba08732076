import type { MetricsSnapshot } from './section-stats.js';

const COLUMNS = ['section', 'count', 'avg_ms', 'p50_ms', 'p95_ms', 'p99_ms'] as const;

/** Go's `LogSnapshot` as a readable table: one row per section, then the counters. */
export function formatSnapshotTable(snapshot: MetricsSnapshot): string {
  const rows = snapshot.sections.map((s) => [
    s.section,
    String(s.count),
    s.avgMs.toFixed(3),
    s.p50Ms.toFixed(3),
    s.p95Ms.toFixed(3),
    s.p99Ms.toFixed(3),
  ]);
  const lines: string[] = [];
  if (rows.length === 0) {
    lines.push('no sections recorded yet');
  } else {
    const widths = COLUMNS.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
    const render = (cells: readonly string[]) =>
      cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
    lines.push(render(COLUMNS), ...rows.map(render));
  }
  const counters = Object.entries(snapshot.counters);
  if (counters.length > 0) {
    lines.push('');
    const width = Math.max(...counters.map(([name]) => name.length));
    for (const [name, value] of counters) lines.push(`${name.padEnd(width)}  ${value}`);
  }
  const note =
    snapshot.source === 'in-memory'
      ? 'percentiles: in-memory HDR histograms (3 significant digits)'
      : 'percentiles: interpolated from Prometheus buckets (histogram_quantile)';
  lines.push('', note);
  return lines.join('\n');
}
