/**
 * The contract between the bench runner and the load generator process. The generator runs in
 * its own process (never on the lab's event loop), receives a `LoadPlan`, and answers with a
 * `LoadResult` of plain, JSON-serialisable data (zod schemas: results are stored and read back).
 */
import { z } from 'zod';

export type { ClosedPlan, LoadPlan, OpenPlan, RequestVariant } from './plan.js';

/** Latency percentiles in milliseconds, read from an HDR histogram recorded in microseconds. */
export const latencySummarySchema = z.object({
  count: z.number(),
  minMs: z.number(),
  meanMs: z.number(),
  p50Ms: z.number(),
  p90Ms: z.number(),
  p95Ms: z.number(),
  p99Ms: z.number(),
  p999Ms: z.number(),
  maxMs: z.number(),
});
export type LatencySummary = z.infer<typeof latencySummarySchema>;

const counts = z.record(z.string(), z.number());

/** What every response of one variant said about correctness (value -> responses). */
export const variantOutcomeSchema = z.object({
  name: z.string(),
  sent: z.number(),
  completed: z.number(),
  /** Non-2xx responses + connection errors + timeouts of this variant. */
  errors: z.number(),
  /** Distinct `loop_checksum` values (exact decimal strings, they exceed 2^53) and their counts. */
  checksums: counts,
  /** Distinct `payload_digest` values and their counts; empty when the variant has no payload. */
  payloadDigests: counts,
  /** The answer (bench/answers) of its 2xx responses: status codes and body digests, when asked for (and empty in older files). */
  statuses: counts.default({}),
  digests: counts.default({}),
});
export type VariantOutcome = z.infer<typeof variantOutcomeSchema>;

export const loadResultSchema = z.object({
  model: z.enum(['open', 'closed']),
  /** Open model only; null for closed. */
  targetRps: z.number().nullable(),
  /**
   * Completed responses per second over the measured window: responses to requests sent in the
   * window (including those that finished in the bounded drain after it) / window length. An
   * overloaded server shows up as rising latency, and here only once responses time out.
   */
  achievedRps: z.number(),
  /** Wall-clock length of the measured window actually used. */
  durationSeconds: z.number(),
  sent: z.number(),
  completed: z.number(),
  /** Responses by HTTP status code ("200": 1234). */
  statusCounts: counts,
  /** Non-2xx responses + connection errors + timeouts. */
  errors: z.number(),
  connectionErrors: z.number(),
  timeouts: z.number(),
  /**
   * Open model: sends dispatched more than `lateThresholdMs` after their intended time because the
   * generator's own event loop was late (not because the server was slow). Closed model: 0.
   */
  lateSends: z.number(),
  lateThresholdMs: z.number(),
  /** Largest dispatch delay behind schedule seen in the generator, ms. */
  maxGeneratorLagMs: z.number(),
  /** Open model: intended sends never dispatched before the window closed. */
  dropped: z.number(),
  /**
   * CPU time (user + system) the generator's process used over the run (window + drain). The open
   * model polls for ~1 ms before each send to send on time, so this reads high there by design;
   * `lateSends` and `maxGeneratorLagMs` say whether it kept up. Closed model: near
   * `durationSeconds` means the generator, not the server, was the bottleneck.
   */
  generatorCpuSeconds: z.number(),
  /**
   * Open model: from the intended send time to the response's end (coordinated-omission correct).
   * Closed: from the actual send (the request written on its connection).
   */
  latency: latencySummarySchema,
  /** From actual send time to response end (what a closed-loop tool reports). */
  serviceTime: latencySummarySchema,
  /** The latency histogram, HDR-encoded (compressed base64), in microseconds; recompute any percentile. */
  latencyHistogram: z.string(),
  serviceTimeHistogram: z.string(),
  variants: z.array(variantOutcomeSchema),
});
export type LoadResult = z.infer<typeof loadResultSchema>;
