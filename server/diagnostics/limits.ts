import type { ServerTimeouts } from '../http-server.js';

export interface SecondsBounds {
  defaultSeconds: number;
  minSeconds: number;
  maxSeconds: number;
}

/**
 * How long each capture may run. Go's defaults: a CPU profile takes 30 s, a trace 1 s. A heap
 * profile here samples allocations over a window (V8 does not sample from process start as Go
 * does), so it takes seconds too. Traces are capped lower: they grow by megabytes per second.
 */
export const CAPTURE_SECONDS = {
  profile: { defaultSeconds: 30, minSeconds: 0.1, maxSeconds: 300 },
  heap: { defaultSeconds: 10, minSeconds: 0.1, maxSeconds: 300 },
  trace: { defaultSeconds: 1, minSeconds: 0.1, maxSeconds: 60 },
} as const satisfies Record<string, SecondsBounds>;

/**
 * The lab's Go timeouts (15 s write deadline) would cut a 30 s profile; Go's pprof server answers
 * 400 in that case. The diagnostics server instead allows the longest capture plus time to encode.
 */
export const DIAGNOSTICS_TIMEOUTS: ServerTimeouts = {
  readTimeoutMs: 5_000,
  writeTimeoutMs: (CAPTURE_SECONDS.profile.maxSeconds + 120) * 1000,
  idleTimeoutMs: 120_000,
};

/** V8's sampling interval for CPU profiles: 1 kHz (Go samples at 100 Hz; short captures need more). */
export const CPU_SAMPLING_INTERVAL_US = 1_000;

/** Average bytes between heap samples; 512 KiB measured within noise on the lab's throughput. */
export const HEAP_SAMPLING_INTERVAL_BYTES = 512 * 1024;

/**
 * Trace-event categories by default: V8 (GC, compiles) and Node's cheap ones. `node` alone would
 * turn on async_hooks tracing, which costs an order of magnitude more data and time.
 */
export const DEFAULT_TRACE_CATEGORIES = ['v8', 'node.perf', 'node.http', 'node.environment'] as const;
