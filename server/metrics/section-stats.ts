import { build, type Histogram } from 'hdr-histogram-js';

/** Per-section summary, as Go's `LogSnapshot` prints it plus percentiles. */
export interface SectionSummary {
  section: string;
  count: number;
  avgMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

export interface MetricsSnapshot {
  /** Where the percentiles come from: exact-ish HDR recordings, or bucket interpolation. */
  source: 'in-memory' | 'prometheus-buckets';
  sections: SectionSummary[];
  counters: Record<string, number>;
}

/**
 * The in-memory side of Go's `metrics` package: totals per section and named counters, readable
 * without Prometheus. Durations go into an HDR histogram in microseconds (3 significant digits).
 */
export class SectionStats {
  readonly #sections = new Map<string, { totalMs: number; histogram: Histogram }>();
  readonly #counters = new Map<string, number>();

  record(section: string, durationMs: number): void {
    let entry = this.#sections.get(section);
    if (entry === undefined) {
      entry = { totalMs: 0, histogram: build({ numberOfSignificantValueDigits: 3 }) };
      this.#sections.set(section, entry);
    }
    entry.totalMs += durationMs;
    entry.histogram.recordValue(Math.max(0, Math.round(durationMs * 1000)));
  }

  increment(counter: string, by = 1): void {
    this.#counters.set(counter, (this.#counters.get(counter) ?? 0) + by);
  }

  snapshot(): MetricsSnapshot {
    const sections = [...this.#sections.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([section, { totalMs, histogram }]) => {
        const count = histogram.totalCount;
        return {
          section,
          count,
          avgMs: count === 0 ? 0 : totalMs / count,
          p50Ms: histogram.getValueAtPercentile(50) / 1000,
          p95Ms: histogram.getValueAtPercentile(95) / 1000,
          p99Ms: histogram.getValueAtPercentile(99) / 1000,
        };
      });
    const counters = Object.fromEntries([...this.#counters.entries()].sort(([a], [b]) => a.localeCompare(b)));
    return { source: 'in-memory', sections, counters };
  }
}
