import { build, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';

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
 * The sections' histograms themselves, for a reader that wants exact percentiles between two
 * moments (the bench, per trial): cumulative since the lab started, so readers never disturb one
 * another; the reader subtracts two reads (hdr-histogram-js `subtract`). Served by the
 * diagnostics server at `/debug/snapshot?format=hdr`.
 */
export interface HdrSectionSnapshot {
  unit: 'microseconds';
  sections: Record<
    string,
    {
      count: number;
      /** Exact sum of the recorded durations (the histogram keeps 3 significant digits). */
      sumMicros: number;
      /** The cumulative histogram, hdr-histogram-js `encodeIntoCompressedBase64`. */
      histogram: string;
    }
  >;
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

  /** Encodes every section's histogram: a few hundred microseconds per section, only when read. */
  hdrSnapshot(): HdrSectionSnapshot {
    const sections: HdrSectionSnapshot['sections'] = {};
    for (const [name, { totalMs, histogram }] of [...this.#sections.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      sections[name] = { count: histogram.totalCount, sumMicros: totalMs * 1000, histogram: encodeIntoCompressedBase64(histogram) };
    }
    return { unit: 'microseconds', sections };
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
