/**
 * Exact per-trial section timings from the lab's own HDR histograms (microseconds, 3 significant
 * digits), read from its diagnostics server before and after a trial and subtracted. Prometheus
 * buckets cannot do this: while every observation stays inside one bucket, an interpolated p95
 * is the same number whatever the code does. Pure functions; the reading is in bench/run.
 */
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import { z } from 'zod';

/** `GET /debug/snapshot?format=hdr` on the lab's diagnostics server: cumulative since the lab started. */
export const hdrSnapshotSchema = z.object({
  unit: z.literal('microseconds'),
  sections: z.record(z.string(), z.object({ count: z.number().int().nonnegative(), sumMicros: z.number(), histogram: z.string() })),
});
export type HdrSnapshot = z.infer<typeof hdrSnapshotSchema>;

/** One section over one trial (or pooled trials): what happened between two reads. */
export const exactSectionSchema = z.object({
  count: z.number(),
  /** From the snapshot's exact sum, not the histogram. */
  meanMs: z.number().nullable(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
  /** The delta histogram, hdr-histogram-js compressed base64, microseconds: any percentile can be recomputed. */
  histogram: z.string(),
});
export type ExactSection = z.infer<typeof exactSectionSchema>;

/** Each section's delta between two snapshots; sections with no new observation are left out. */
export function exactSectionDeltas(before: HdrSnapshot | null, after: HdrSnapshot): Record<string, ExactSection> {
  const deltas: Record<string, ExactSection> = {};
  for (const [name, now] of Object.entries(after.sections).sort(([a], [b]) => a.localeCompare(b))) {
    const then = before?.sections[name];
    // A count that went down means another lab process: the new totals are then the delta.
    const restarted = then !== undefined && now.count < then.count;
    const count = then && !restarted ? now.count - then.count : now.count;
    if (count <= 0) continue;
    const histogram = decodeFromCompressedBase64(now.histogram);
    // A decoded histogram has a fixed range, and hdr-histogram-js's subtract() checks it against
    // the lowest value of the last sub-bucket: an earlier maximum inside that sub-bucket (e.g.
    // 65528 µs) throws "values that do not fit" although it fits. Resizing skips that check.
    histogram.autoResize = true;
    if (then && !restarted) {
      const earlier = decodeFromCompressedBase64(then.histogram);
      histogram.subtract(earlier);
      earlier.destroy();
    }
    const sumMicros = then && !restarted ? now.sumMicros - then.sumMicros : now.sumMicros;
    deltas[name] = summarise(histogram, count, sumMicros);
    histogram.destroy();
  }
  return deltas;
}

/** Sections of several trials added together (for a scenario's pooled view). */
export function mergeExactSections(trials: ReadonlyArray<Readonly<Record<string, ExactSection>>>): Record<string, ExactSection> {
  const names = [...new Set(trials.flatMap((t) => Object.keys(t)))].sort();
  const merged: Record<string, ExactSection> = {};
  for (const name of names) {
    const parts = trials.flatMap((t) => (t[name] ? [t[name]] : []));
    const histogram = build({ numberOfSignificantValueDigits: 3 });
    let count = 0;
    let sumMicros = 0;
    for (const part of parts) {
      const decoded = decodeFromCompressedBase64(part.histogram);
      histogram.add(decoded);
      decoded.destroy();
      count += part.count;
      sumMicros += (part.meanMs ?? 0) * 1000 * part.count;
    }
    merged[name] = summarise(histogram, count, sumMicros);
    histogram.destroy();
  }
  return merged;
}

function summarise(histogram: Histogram, count: number, sumMicros: number): ExactSection {
  const atMs = (percentile: number) => (histogram.totalCount > 0 ? histogram.getValueAtPercentile(percentile) / 1000 : null);
  return {
    count,
    meanMs: count > 0 ? sumMicros / count / 1000 : null,
    p50Ms: atMs(50),
    p95Ms: atMs(95),
    p99Ms: atMs(99),
    histogram: encodeIntoCompressedBase64(histogram),
  };
}
