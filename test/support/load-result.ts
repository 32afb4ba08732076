import { build, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import type { LoadResult } from '../../bench/load/types.js';

/** A LoadResult as the generator would report it, from latencies in ms. */
export function fakeLoadResult(latenciesMs: readonly number[], overrides: Partial<LoadResult> = {}): LoadResult {
  const histogram = build({ numberOfSignificantValueDigits: 3 });
  for (const ms of latenciesMs) histogram.recordValue(Math.round(ms * 1000));
  const pct = (p: number) => histogram.getValueAtPercentile(p) / 1000;
  const latency = {
    count: histogram.totalCount,
    minMs: histogram.minNonZeroValue / 1000,
    meanMs: histogram.mean / 1000,
    p50Ms: pct(50),
    p90Ms: pct(90),
    p95Ms: pct(95),
    p99Ms: pct(99),
    p999Ms: pct(99.9),
    maxMs: histogram.maxValue / 1000,
  };
  const encoded = encodeIntoCompressedBase64(histogram);
  histogram.destroy();
  return {
    model: 'open',
    targetRps: 100,
    achievedRps: 100,
    durationSeconds: latenciesMs.length / 100,
    sent: latenciesMs.length,
    completed: latenciesMs.length,
    statusCounts: { '200': latenciesMs.length },
    errors: 0,
    connectionErrors: 0,
    timeouts: 0,
    lateSends: 0,
    lateThresholdMs: 10,
    generatorCpuSeconds: 0.1,
    maxGeneratorLagMs: 1,
    dropped: 0,
    latency,
    serviceTime: latency,
    latencyHistogram: encoded,
    serviceTimeHistogram: encoded,
    variants: [
      {
        name: 'work',
        sent: latenciesMs.length,
        completed: latenciesMs.length,
        errors: 0,
        checksums: { '332854108': latenciesMs.length },
        payloadDigests: {},
        statuses: {},
        digests: {},
      },
    ],
    ...overrides,
  };
}
