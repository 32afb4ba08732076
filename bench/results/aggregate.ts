import { build, decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { summarizeMicros } from '../load/tally.js';
import { z } from 'zod';
import { latencySummarySchema, type LatencySummary } from '../load/types.js';
import { metricValues } from './metrics.js';
import { exactSectionSchema, mergeExactSections } from './section-hdr.js';
import { serverHistogramSchema, sumServerHistograms, type ServerHistogram } from './server-metrics.js';
import type { TrialResult } from './trial.js';

/** A scenario's valid trials pooled: histograms merged, counts summed, rates averaged. */
export const scenarioAggregateSchema = z.object({
  validTrials: z.number(),
  latency: latencySummarySchema,
  serviceTime: latencySummarySchema,
  sent: z.number(),
  completed: z.number(),
  errors: z.number(),
  errorRatio: z.number(),
  meanAchievedRps: z.number(),
  server: z.object({
    requests: serverHistogramSchema.nullable(),
    sections: z.record(z.string(), serverHistogramSchema),
    cpuMsPerRequest: z.number().nullable(),
    /** The lab's HDR section histograms, pooled (exact percentiles); empty for targets without them, and in older files. */
    exactSections: z.record(z.string(), exactSectionSchema).default({}),
  }),
  /** Every metric over the pooled data, by key; what thresholds are checked against. */
  metrics: z.record(z.string(), z.number()),
});
export type ScenarioAggregate = z.infer<typeof scenarioAggregateSchema>;

export function aggregateTrials(trials: readonly TrialResult[]): ScenarioAggregate | null {
  const valid = trials.filter((t) => t.validity.valid);
  if (valid.length === 0) return null;
  const latency = mergeLatency(valid.map((t) => t.client.latencyHistogram));
  const serviceTime = mergeLatency(valid.map((t) => t.client.serviceTimeHistogram));
  const sent = sum(valid.map((t) => t.client.sent));
  const completed = sum(valid.map((t) => t.client.completed));
  const errors = sum(valid.map((t) => t.client.errors));
  const meanAchievedRps = sum(valid.map((t) => t.client.achievedRps)) / valid.length;
  const requests = sumServerHistograms(valid.flatMap((t) => (t.server.requests ? [t.server.requests] : [])));
  const sectionNames = [...new Set(valid.flatMap((t) => Object.keys(t.server.sections)))].sort();
  const sections: Record<string, ServerHistogram> = {};
  for (const name of sectionNames) {
    const merged = sumServerHistograms(valid.flatMap((t) => (t.server.sections[name] ? [t.server.sections[name]] : [])));
    if (merged) sections[name] = merged;
  }
  const cpuTrials = valid.filter((t) => t.server.cpuSeconds !== null && t.server.requests);
  const cpuRequests = sum(cpuTrials.map((t) => t.server.requests?.count ?? 0));
  const cpuMsPerRequest = cpuRequests > 0 ? (sum(cpuTrials.map((t) => t.server.cpuSeconds ?? 0)) * 1000) / cpuRequests : null;

  const exactSections = mergeExactSections(valid.map((t) => t.server.exactSections));

  const errorRatio = sent > 0 ? errors / sent : 0;
  const metrics = metricValues({
    latency,
    errorRatio,
    throughputRps: meanAchievedRps,
    serverRequests: requests,
    serverCpuMsPerRequest: cpuMsPerRequest,
    sections,
    exactSections,
  });
  return {
    validTrials: valid.length,
    latency,
    serviceTime,
    sent,
    completed,
    errors,
    errorRatio,
    meanAchievedRps,
    server: { requests, sections, cpuMsPerRequest, exactSections },
    metrics,
  };
}

/** Adds HDR histograms (microseconds) from their encoded form and summarises them in ms. */
export function mergeLatency(encoded: readonly string[]): LatencySummary {
  const merged = build({ numberOfSignificantValueDigits: 3 });
  for (const text of encoded) {
    const histogram = decodeFromCompressedBase64(text);
    merged.add(histogram);
    histogram.destroy();
  }
  const summary = summarizeMicros(merged);
  merged.destroy();
  return summary;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
