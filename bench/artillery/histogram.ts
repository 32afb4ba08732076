import * as hdr from 'hdr-histogram-js';
import type { ArtillerySummary } from './report.js';

/**
 * An HDR histogram (microseconds, as our generator records) rebuilt from one Artillery summary,
 * so that imported periods can be pooled, charted and stored like our own trials. Artillery 2.0.21's
 * JSON report carries no histogram data (its `histograms` repeat the summaries), so the shape
 * between the summary's points is unknown: `count` values are spread uniformly in quantile between
 * min, p50, p75, p90, p95, p99, p999 and max. Its percentiles at those points match the summary;
 * anything in between (and any pooled percentile) is an approximation, and reports say so.
 */
const KNOTS: ReadonlyArray<readonly [quantile: number, key: keyof ArtillerySummary]> = [
  [0, 'min'],
  [0.5, 'p50'],
  [0.75, 'p75'],
  [0.9, 'p90'],
  [0.95, 'p95'],
  [0.99, 'p99'],
  [0.999, 'p999'],
  [1, 'max'],
];

/** Points per segment at most; the rest of a segment's count goes onto them (bounded work for big periods). */
const MAX_POINTS_PER_SEGMENT = 200;

export function histogramFromSummary(summary: ArtillerySummary): string {
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
  try {
    const micros = (ms: number) => Math.max(0, Math.round(ms * 1000));
    if (summary.count === 0) return hdr.encodeIntoCompressedBase64(histogram);
    histogram.recordValue(micros(summary.min));
    let placed = 1;
    for (let i = 1; i < KNOTS.length; i++) {
      const [, k0] = KNOTS[i - 1] as (typeof KNOTS)[number];
      const [q1, k1] = KNOTS[i] as (typeof KNOTS)[number];
      // Cumulative rounding: the segments' counts add up to exactly `count`.
      const upTo = Math.round(summary.count * q1);
      const inSegment = upTo - placed;
      if (inSegment <= 0) continue;
      // Quantile estimates can come out of order after rounding; never let a segment run backwards.
      const from = summary[k0];
      const to = Math.max(from, summary[k1]);
      const points = Math.min(inSegment, MAX_POINTS_PER_SEGMENT);
      for (let p = 0; p < points; p++) {
        const share = Math.floor(((p + 1) * inSegment) / points) - Math.floor((p * inSegment) / points);
        // The segment's last point sits on its upper knot, so max (and each knot) is recorded exactly.
        const value = from + ((to - from) * (p + 1)) / points;
        if (share > 0) histogram.recordValueWithCount(micros(value), share);
      }
      placed = upTo;
    }
    return hdr.encodeIntoCompressedBase64(histogram);
  } finally {
    histogram.destroy();
  }
}
