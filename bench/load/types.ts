/**
 * The contract between the bench runner and the load generator process. The generator runs in
 * its own process (never on the lab's event loop), receives a `LoadPlan`, and answers with a
 * `LoadResult` of plain, JSON-serialisable data.
 */

/** One kind of request in a mix, e.g. `/api/work?loop_iterations=5000000`. */
export interface RequestVariant {
  name: string;
  /** Path and query, appended to the plan's `baseUrl`. */
  path: string;
  /** Relative weight in the mix; weights need not sum to 1. */
  weight: number;
}

interface CommonPlan {
  /** e.g. http://127.0.0.1:41234 (loopback only). */
  baseUrl: string;
  variants: readonly RequestVariant[];
  /** Length of the measured window. Requests still running at its end are awaited (bounded). */
  durationSeconds: number;
  /** A request slower than this is aborted and counted as a timeout. */
  requestTimeoutMs: number;
  /** Seeds the variant picker so a plan always sends the same sequence of variants. */
  seed: number;
}

/** Constant arrival rate (wrk2's model): latency is measured from each request's intended send time. */
export interface OpenPlan extends CommonPlan {
  model: 'open';
  rateRps: number;
  /** Upper bound on concurrent connections; requests beyond it queue (and that queueing is latency). */
  maxConnections: number;
  /** A dispatch later than this behind its intended time counts as a late send; default 5 ms. */
  lateThresholdMs?: number;
}

/** Fixed connections, each sending its next request as soon as the previous one answers. */
export interface ClosedPlan extends CommonPlan {
  model: 'closed';
  connections: number;
}

export type LoadPlan = OpenPlan | ClosedPlan;

/** Latency percentiles in milliseconds, read from an HDR histogram recorded in microseconds. */
export interface LatencySummary {
  count: number;
  minMs: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

/** What every response of one variant said about correctness (value -> responses). */
export interface VariantOutcome {
  name: string;
  sent: number;
  completed: number;
  /** Non-2xx responses + connection errors + timeouts of this variant. */
  errors: number;
  /** Distinct `loop_checksum` values (exact decimal strings, they exceed 2^53) and their counts. */
  checksums: Record<string, number>;
  /** Distinct `payload_digest` values and their counts; empty when the variant has no payload. */
  payloadDigests: Record<string, number>;
}

export interface LoadResult {
  model: LoadPlan['model'];
  /** Open model only; null for closed. */
  targetRps: number | null;
  /**
   * Completed responses per second over the measured window: responses to requests sent in the
   * window (including those that finished in the bounded drain after it) / window length. An
   * overloaded server shows up as rising latency, and here only once responses time out.
   */
  achievedRps: number;
  /** Wall-clock length of the measured window actually used. */
  durationSeconds: number;
  sent: number;
  completed: number;
  /** Responses by HTTP status code ("200": 1234). */
  statusCounts: Record<string, number>;
  /** Non-2xx responses + connection errors + timeouts. */
  errors: number;
  connectionErrors: number;
  timeouts: number;
  /**
   * Open model: sends dispatched more than `lateThresholdMs` after their intended time because the
   * generator's own event loop was late (not because the server was slow). Closed model: 0.
   */
  lateSends: number;
  lateThresholdMs: number;
  /** Largest dispatch delay behind schedule seen in the generator, ms. */
  maxGeneratorLagMs: number;
  /** Open model: intended sends never dispatched before the window closed. */
  dropped: number;
  /**
   * CPU time (user + system) the generator's process used over the run (window + drain). The open
   * model polls for ~1 ms before each send to send on time, so this reads high there by design;
   * `lateSends` and `maxGeneratorLagMs` say whether it kept up. Closed model: near
   * `durationSeconds` means the generator, not the server, was the bottleneck.
   */
  generatorCpuSeconds: number;
  /**
   * Open model: from the intended send time to the response's end (coordinated-omission correct).
   * Closed: from the actual send (the request written on its connection).
   */
  latency: LatencySummary;
  /** From actual send time to response end (what a closed-loop tool reports). */
  serviceTime: LatencySummary;
  /** The latency histogram, HDR-encoded (compressed base64), in microseconds; recompute any percentile. */
  latencyHistogram: string;
  serviceTimeHistogram: string;
  variants: VariantOutcome[];
}
