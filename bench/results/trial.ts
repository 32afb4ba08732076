import { z } from 'zod';
import { loadResultSchema, type LoadResult } from '../load/types.js';
import { metricValues } from './metrics.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { serverTrialMetricsSchema, type ServerTrialMetrics } from './server-metrics.js';

export const trialValiditySchema = z.discriminatedUnion('valid', [
  z.object({ valid: z.literal(true) }),
  z.object({ valid: z.literal(false), reasons: z.array(z.string()) }),
]);
export type TrialValidity = z.infer<typeof trialValiditySchema>;

/**
 * What one side's server spent per request during the duet after a trial (bench/load/duet.ts):
 * requests sent one at a time, alternating with the other side's, so the pair's difference cancels
 * the machine's moment-to-moment speed.
 */
export const duetMeasurementSchema = z.object({
  requests: z.number(),
  errors: z.number(),
  /** `process_cpu_seconds_total` delta / requests; null without runtime metrics. */
  cpuMsPerRequest: z.number().nullable(),
  /** Section means (`_sum` / `_count` deltas: exact). */
  sections: z.record(z.string(), z.object({ count: z.number(), meanMs: z.number().nullable() })),
});
export type DuetMeasurement = z.infer<typeof duetMeasurementSchema>;

/** One measured window of a scenario: what the client saw and what the server recorded. */
export const trialResultSchema = z.object({
  /** 1-based. */
  index: z.number().int(),
  startedAt: z.string(),
  validity: trialValiditySchema,
  /** The load generator's result: latency histograms, rates, errors, per-variant checksums. */
  client: loadResultSchema,
  /** Errors / sent, the error budget's measure. */
  errorRatio: z.number(),
  server: serverTrialMetricsSchema,
  /** The duet that followed the trial; null when the scenario has none (and in older files). */
  duet: duetMeasurementSchema.nullable().default(null),
  /** Every metric this trial yields, by key (`p95_ms`, `section.loop.p95_ms`, …). */
  metrics: z.record(z.string(), z.number()),
});
export type TrialResult = z.infer<typeof trialResultSchema>;

/**
 * Why a trial cannot be trusted: the generator missed its rate or fell behind its schedule, or
 * errors exceeded the budget. Such trials are reported, never averaged in.
 */
export function trialValidity(client: LoadResult, validity: ScenarioSpec['validity']): TrialValidity {
  const reasons: string[] = [];
  if (client.targetRps !== null && client.targetRps > 0) {
    const ratio = client.achievedRps / client.targetRps;
    if (ratio < validity.minRateRatio) {
      reasons.push(
        `achieved ${client.achievedRps.toFixed(1)} req/s of the target ${client.targetRps} (${(ratio * 100).toFixed(1)}% < ${(validity.minRateRatio * 100).toFixed(0)}%)`,
      );
    }
  }
  const intended = client.sent + client.dropped;
  if (intended > 0) {
    // One late send is tolerated however short the trial: in a 1 s trial at 20 req/s it would
    // otherwise be 5% and void the trial for a single hiccup.
    const allowedBehind = Math.max(1, Math.floor(validity.maxLateRatio * intended));
    if (client.lateSends + client.dropped > allowedBehind) {
      reasons.push(
        `the load generator fell behind: ${client.lateSends} late and ${client.dropped} dropped of ${intended} sends (max generator lag ${client.maxGeneratorLagMs.toFixed(1)} ms)`,
      );
    }
  }
  const errorRatio = client.sent > 0 ? client.errors / client.sent : 0;
  if (errorRatio > validity.maxErrorRatio) {
    reasons.push(
      `error ratio ${(errorRatio * 100).toFixed(2)}% exceeds the ${(validity.maxErrorRatio * 100).toFixed(2)}% budget (${describeErrors(client)})`,
    );
  }
  if (client.completed === 0) reasons.push('no request completed');
  return reasons.length === 0 ? { valid: true } : { valid: false, reasons };
}

export function describeErrors(client: LoadResult): string {
  const statuses = Object.entries(client.statusCounts)
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, count]) => `${count}x HTTP ${status}`);
  if (client.connectionErrors > 0) statuses.push(`${client.connectionErrors} connection errors`);
  if (client.timeouts > 0) statuses.push(`${client.timeouts} timeouts`);
  return statuses.length > 0 ? statuses.join(', ') : 'none';
}

/** The metric values one trial yields, by key (see bench/results/metrics.ts). */
export function trialMetrics(client: LoadResult, server: ServerTrialMetrics, duet: DuetMeasurement | null = null): Record<string, number> {
  return metricValues({
    duet,
    latency: client.latency,
    errorRatio: client.sent > 0 ? client.errors / client.sent : 0,
    throughputRps: client.achievedRps,
    serverRequests: server.requests,
    serverCpuMsPerRequest: server.cpuMsPerRequest,
    sections: server.sections,
    exactSections: server.exactSections,
  });
}
