import { LOOP_IMPLEMENTATIONS, MAX_EXACT_ITERATIONS, type LoopImplementation } from './checksum.js';
import { estimatedPayloadBytes, PAYLOAD_ITEM_OVERHEAD_BYTES } from './payload.js';

/**
 * The workload knobs of `/api/work`. Each is a server default (flag or environment variable)
 * and can be overridden per request by a query parameter of the same name.
 */
export interface WorkKnobs {
  /** Lower bound of the simulated DB wait (uniform in [dbMinMs, dbMaxMs)). */
  dbMinMs: number;
  dbMaxMs: number;
  /** Chance that a request's DB wait gets `dbSpikeMs` added: a slow-DB tail. */
  dbSpikeProbability: number;
  dbSpikeMs: number;
  loopIterations: number;
  loopImplementation: LoopImplementation;
  /** Payload items built and encoded into the response; 0 keeps the Go-shaped response. */
  payloadItems: number;
  /** Length of each payload item's `data` string. */
  payloadItemBytes: number;
  /** Seeds the DB-wait RNG; null draws from the server's stream (random unless seeded). */
  seed: number | null;
}

/** Upper bounds that keep any single request from pinning the CPU or the heap. */
export interface WorkLimits {
  maxDbWaitMs: number;
  maxLoopIterations: number;
  /** The same for `loop_impl=bigint`, which costs ~28x more per iteration. */
  maxBigintLoopIterations: number;
  maxPayloadBytes: number;
  /** Requests of `/api/work` in flight at once; beyond it the lab answers 503 (load shedding). */
  maxInFlightRequests: number;
  /** Payload bytes held by responses in flight at once, slow readers included; beyond it, 503. */
  maxPayloadBytesInFlight: number;
  /**
   * Hot-loop work of the requests in flight at once, in iterations of the default loop (a BigInt
   * iteration counts `BIGINT_ITERATION_COST`); beyond it, 503. The loop blocks the event loop, so
   * this, not the number of requests, bounds how long /healthz and /metrics can wait behind it.
   */
  maxLoopIterationsInFlight: number;
}

/** What one `loop_impl=bigint` iteration costs in default-loop iterations (66 vs 2.4 ns measured). */
export const BIGINT_ITERATION_COST = 28;

/** A request's hot-loop work in default-loop iterations, as `maxLoopIterationsInFlight` counts it. */
export function loopCost(knobs: Pick<WorkKnobs, 'loopIterations' | 'loopImplementation'>): number {
  return knobs.loopIterations * (knobs.loopImplementation === 'bigint' ? BIGINT_ITERATION_COST : 1);
}

export const GO_DEFAULT_KNOBS: WorkKnobs = {
  dbMinMs: 50,
  dbMaxMs: 200,
  dbSpikeProbability: 0,
  dbSpikeMs: 0,
  loopIterations: 100_000,
  loopImplementation: 'number',
  payloadItems: 0,
  payloadItemBytes: 1024,
  seed: null,
};

export const DEFAULT_LIMITS: WorkLimits = {
  maxDbWaitMs: 10_000,
  // ~0.3 s of the fast loop on a 2024 laptop core (2.4 ns/iteration here, npm run bench:micro).
  maxLoopIterations: 100_000_000,
  // The BigInt loop measured 66 ns/iteration: the same ~0.3 s. Under the fast loop's cap, two
  // bigint requests of 100M iterations blocked the event loop for 12 s.
  maxBigintLoopIterations: 4_000_000,
  maxPayloadBytes: 64 * 1024 * 1024,
  // 64 requests: the Go-default request (50-200 ms DB wait) sustains ~500 req/s, and 64 queued
  // hot loops of 2M iterations (~5 ms each) keep /healthz under ~0.3 s.
  maxInFlightRequests: 64,
  // Two of the largest payloads at once (each costs ~3x its size in strings and buffers).
  maxPayloadBytesInFlight: 128 * 1024 * 1024,
  // ~0.4 s of the default loop on a 2-vCPU VM (2.55 ns/iteration): 16 requests of 100M iterations,
  // all admitted under the request bound, kept /healthz waiting for seconds. One request of the
  // per-request maximum always fits.
  maxLoopIterationsInFlight: 150_000_000,
};

type KnobKind =
  { type: 'number'; integer: boolean; min: number; max: (limits: WorkLimits) => number } | { type: 'enum'; values: readonly string[] };

export interface KnobSpec {
  key: keyof WorkKnobs;
  /** Query parameter name; flags are the same with dashes (`--db-min-ms`), env `LAB_DB_MIN_MS`. */
  param: string;
  kind: KnobKind;
  description: string;
}

export const KNOB_SPECS: readonly KnobSpec[] = [
  {
    key: 'dbMinMs',
    param: 'db_min_ms',
    kind: { type: 'number', integer: false, min: 0, max: (l) => l.maxDbWaitMs },
    description: 'minimum simulated DB wait, ms',
  },
  {
    key: 'dbMaxMs',
    param: 'db_max_ms',
    kind: { type: 'number', integer: false, min: 0, max: (l) => l.maxDbWaitMs },
    description: 'maximum simulated DB wait (exclusive), ms',
  },
  {
    key: 'dbSpikeProbability',
    param: 'db_spike_probability',
    kind: { type: 'number', integer: false, min: 0, max: () => 1 },
    description: 'probability that a request hits a DB spike',
  },
  {
    key: 'dbSpikeMs',
    param: 'db_spike_ms',
    kind: { type: 'number', integer: false, min: 0, max: (l) => l.maxDbWaitMs },
    description: 'extra DB wait added by a spike, ms',
  },
  {
    key: 'loopIterations',
    param: 'loop_iterations',
    kind: {
      type: 'number',
      integer: true,
      min: 0,
      max: (l) => Math.min(l.maxLoopIterations, MAX_EXACT_ITERATIONS - 1),
    },
    description: 'iterations of the CPU hot loop',
  },
  {
    key: 'loopImplementation',
    param: 'loop_impl',
    kind: { type: 'enum', values: LOOP_IMPLEMENTATIONS },
    description: 'hot-loop implementation (bigint is exact but much slower)',
  },
  {
    key: 'payloadItems',
    param: 'payload_items',
    kind: { type: 'number', integer: true, min: 0, max: (l) => Math.floor(l.maxPayloadBytes / PAYLOAD_ITEM_OVERHEAD_BYTES) },
    description: 'payload items to build and encode',
  },
  {
    key: 'payloadItemBytes',
    param: 'payload_item_bytes',
    kind: { type: 'number', integer: true, min: 0, max: (l) => l.maxPayloadBytes },
    description: 'bytes of data per payload item',
  },
  {
    key: 'seed',
    param: 'seed',
    kind: { type: 'number', integer: true, min: 0, max: () => 2 ** 32 - 1 },
    description: 'RNG seed for DB waits and spikes',
  },
];

export const KNOB_PARAMS: ReadonlySet<string> = new Set(KNOB_SPECS.map((spec) => spec.param));

/** A rejected knob: enough to print one clear line or send a 400 body. */
export interface KnobError {
  parameter: string;
  expected: string;
  received: string;
}

export type KnobsResult = { ok: true; knobs: WorkKnobs } | { ok: false; error: KnobError };

export function formatKnobError(error: KnobError): string {
  return `${error.parameter}: expected ${error.expected}, got ${JSON.stringify(error.received)}`;
}

const INTEGER = /^\d+$/;
const DECIMAL = /^\d+(\.\d+)?$/;

/**
 * Applies raw string values (query parameters, flags or env) over `base`, validating each one and
 * then the knobs as a whole. Keys are query-parameter names; unknown keys are rejected.
 */
export function applyKnobs(raw: ReadonlyMap<string, readonly string[]>, base: WorkKnobs, limits: WorkLimits): KnobsResult {
  for (const name of raw.keys()) {
    if (!KNOB_PARAMS.has(name)) {
      return fail(name, `a known parameter (one of ${[...KNOB_PARAMS].join(', ')})`, name);
    }
  }
  const knobs: Record<string, unknown> = { ...base };
  for (const spec of KNOB_SPECS) {
    const values = raw.get(spec.param);
    if (values === undefined) continue;
    if (values.length !== 1) return fail(spec.param, 'a single value', values.join(','));
    const text = values[0] as string;
    const { kind } = spec;
    const value = kind.type === 'number' && (kind.integer ? INTEGER : DECIMAL).test(text) ? Number(text) : text;
    // Report what the client sent, not what it parsed to (1e20 would print as 100000000000000000000).
    if (!fitsKind(kind, value, limits)) return fail(spec.param, describeKind(kind, limits), text);
    knobs[spec.key] = value;
  }
  return checkKnobs(knobs as unknown as WorkKnobs, limits);
}

/** Validates typed knobs: each within its range, and the combination within the limits. */
export function checkKnobs(knobs: WorkKnobs, limits: WorkLimits): KnobsResult {
  for (const spec of KNOB_SPECS) {
    const value: unknown = knobs[spec.key];
    if (spec.key === 'seed' && value === null) continue;
    if (!fitsKind(spec.kind, value, limits)) {
      return fail(spec.param, describeKind(spec.kind, limits), String(value));
    }
  }
  if (knobs.dbMinMs > knobs.dbMaxMs) {
    return fail('db_max_ms', `a value >= db_min_ms (${knobs.dbMinMs})`, String(knobs.dbMaxMs));
  }
  if (knobs.dbMaxMs + knobs.dbSpikeMs > limits.maxDbWaitMs) {
    return fail('db_spike_ms', `db_max_ms + db_spike_ms <= ${limits.maxDbWaitMs} (the max DB wait)`, String(knobs.dbSpikeMs));
  }
  if (knobs.loopImplementation === 'bigint' && knobs.loopIterations > limits.maxBigintLoopIterations) {
    return fail(
      'loop_iterations',
      `an integer in [0, ${limits.maxBigintLoopIterations}] with loop_impl=bigint (~${BIGINT_ITERATION_COST}x the cost of the default loop)`,
      String(knobs.loopIterations),
    );
  }
  const payloadBytes = estimatedPayloadBytes(knobs.payloadItems, knobs.payloadItemBytes);
  if (payloadBytes > limits.maxPayloadBytes) {
    return fail(
      'payload_items',
      `payload_items x (payload_item_bytes + ${PAYLOAD_ITEM_OVERHEAD_BYTES}) <= ${limits.maxPayloadBytes} bytes`,
      `${knobs.payloadItems} items of ${knobs.payloadItemBytes} bytes`,
    );
  }
  return { ok: true, knobs };
}

function fitsKind(kind: KnobKind, value: unknown, limits: WorkLimits): boolean {
  if (kind.type === 'enum') return typeof value === 'string' && kind.values.includes(value);
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!kind.integer || Number.isInteger(value)) &&
    value >= kind.min &&
    value <= kind.max(limits)
  );
}

function describeKind(kind: KnobKind, limits: WorkLimits): string {
  if (kind.type === 'enum') return `one of ${kind.values.join(', ')}`;
  return `${kind.integer ? 'an integer' : 'a number'} in [${kind.min}, ${kind.max(limits)}]`;
}

function fail(parameter: string, expected: string, received: string): { ok: false; error: KnobError } {
  return { ok: false, error: { parameter, expected, received } };
}
