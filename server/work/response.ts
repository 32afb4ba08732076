import { payloadDigest, type PayloadItem } from './payload.js';

export const WORK_MESSAGE = 'Synthetic workload completed; inspect Prometheus, pprof, and trace outputs for deeper insights.';

/** Go's `observability_tips`, keys sorted as `json.Marshal` sorts map keys, retold for Node. */
export const OBSERVABILITY_TIPS = {
  flamegraph:
    'Capture CPU profile via `go tool pprof -http=:0 http://127.0.0.1:6060/debug/pprof/profile`; wide frames reveal hot spots such as simulateLoop.',
  histogram: 'Query `histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket[5m])) by (le))` to catch tail latency.',
  loop_debug: 'Compare checksum between runs; divergence implies logic bugs while histogram shifts imply CPU regressions.',
  slow_db: 'Alert on `section_duration_seconds{section="db_query"}` P95; spikes signal real DB regressions.',
} as const;

const TIPS_JSON = JSON.stringify(OBSERVABILITY_TIPS);
const MESSAGE_JSON = JSON.stringify(WORK_MESSAGE);

export interface WorkTimingsMs {
  dbQueryMs: number;
  loopMs: number;
  /** Present only when a payload was built. */
  payloadBuildMs: number | null;
  /** Taken before encoding, as in Go. */
  totalMs: number;
}

export interface WorkResult {
  timingsMs: WorkTimingsMs;
  loopIterations: number;
  loopChecksum: bigint;
  /** Wall-clock time the response was assembled, epoch milliseconds with a fraction. */
  timestampEpochMs: number;
  payload: readonly PayloadItem[] | null;
}

export interface EncodedWork {
  body: string;
  payloadDigest: string | null;
}

/**
 * Writes the response exactly as Go's `json.Marshal(WorkResponse)` does: struct fields in
 * declaration order, map keys sorted, and `loop_checksum` as an exact uint64 integer (a JS number
 * would round anything above 2^53). Payload fields, an extension, come last and only when asked.
 */
export function encodeWorkResponse(result: WorkResult): EncodedWork {
  const { timingsMs } = result;
  const timings =
    `{"db_query_ms":${timingsMs.dbQueryMs},"loop_ms":${timingsMs.loopMs}` +
    (timingsMs.payloadBuildMs === null ? '' : `,"payload_build_ms":${timingsMs.payloadBuildMs}`) +
    `,"total_ms":${timingsMs.totalMs}}`;
  let body =
    `{"message":${MESSAGE_JSON},"timings_ms":${timings},"loop_iterations":${result.loopIterations}` +
    `,"loop_checksum":${result.loopChecksum.toString()},"observability_tips":${TIPS_JSON}` +
    `,"timestamp":"${formatRfc3339Nano(result.timestampEpochMs)}"`;
  let digest: string | null = null;
  if (result.payload !== null) {
    const payloadJson = JSON.stringify(result.payload);
    digest = payloadDigest(payloadJson);
    body += `,"payload_items":${result.payload.length},"payload_digest":"${digest}","payload":${payloadJson}`;
  }
  return { body: `${body}}`, payloadDigest: digest };
}

/** Go's `toMillis`: whole microseconds, as milliseconds. */
export function toMillis(durationMs: number): number {
  return Math.trunc(durationMs * 1000) / 1000;
}

/**
 * Go's RFC 3339 time with the fraction trimmed of trailing zeros (and dropped when zero),
 * at the microsecond precision JS clocks give.
 */
export function formatRfc3339Nano(epochMs: number): string {
  const wholeMs = Math.floor(epochMs);
  const micros = Math.floor((epochMs - wholeMs) * 1000);
  const iso = new Date(wholeMs).toISOString(); // 2006-01-02T15:04:05.000Z
  const fraction = `${iso.slice(20, 23)}${String(micros).padStart(3, '0')}`.replace(/0+$/, '');
  return `${iso.slice(0, 19)}${fraction === '' ? '' : `.${fraction}`}Z`;
}
