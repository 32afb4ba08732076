import * as hdr from 'hdr-histogram-js';
import type { ResponseFacts } from './response-facts.js';
import type { LatencySummary, LoadResult, VariantOutcome } from './types.js';

/**
 * The generator's accounting: counts, HDR histograms in microseconds and per-variant facts.
 * No sockets or clocks here; the generator feeds it outcomes and asks for the `LoadResult`.
 */

interface VariantTally {
  name: string;
  sent: number;
  completed: number;
  errors: number;
  checksums: Map<string, number>;
  payloadDigests: Map<string, number>;
  statuses: Map<string, number>;
  digests: Map<string, number>;
}

export interface Tally {
  sent: number;
  completed: number;
  connectionErrors: number;
  timeouts: number;
  /** Non-2xx responses. */
  errorResponses: number;
  statusCounts: Map<number, number>;
  latencyUs: hdr.Histogram;
  serviceTimeUs: hdr.Histogram;
  variants: VariantTally[];
}

export function createTally(variantNames: readonly string[]): Tally {
  return {
    sent: 0,
    completed: 0,
    connectionErrors: 0,
    timeouts: 0,
    errorResponses: 0,
    statusCounts: new Map(),
    latencyUs: createMicrosHistogram(),
    serviceTimeUs: createMicrosHistogram(),
    variants: variantNames.map((name) => ({
      name,
      sent: 0,
      completed: 0,
      errors: 0,
      checksums: new Map(),
      payloadDigests: new Map(),
      statuses: new Map(),
      digests: new Map(),
    })),
  };
}

/** 3 significant digits from 1 µs up; grows past the initial hour if a value ever needs it. */
function createMicrosHistogram(): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
}

export function tallySent(tally: Tally, variant: number): void {
  tally.sent++;
  variantAt(tally, variant).sent++;
}

export interface ResponseOutcome {
  statusCode: number;
  latencyUs: number;
  serviceTimeUs: number;
  /** Facts of a 2xx body; null for other statuses. */
  facts: ResponseFacts | null;
  /** The generic answer of a 2xx response, when its kind asks for one (bench/answers). */
  answer?: { status: string | null; digest: string | null } | null;
}

export function tallyResponse(tally: Tally, variant: number, outcome: ResponseOutcome): void {
  const entry = variantAt(tally, variant);
  tally.completed++;
  entry.completed++;
  tally.statusCounts.set(outcome.statusCode, (tally.statusCounts.get(outcome.statusCode) ?? 0) + 1);
  tally.latencyUs.recordValue(outcome.latencyUs);
  tally.serviceTimeUs.recordValue(outcome.serviceTimeUs);
  if (outcome.statusCode < 200 || outcome.statusCode > 299) {
    tally.errorResponses++;
    entry.errors++;
  }
  if (outcome.facts !== null) {
    if (outcome.facts.loopChecksum !== null) increment(entry.checksums, outcome.facts.loopChecksum);
    if (outcome.facts.payloadDigest !== null) increment(entry.payloadDigests, outcome.facts.payloadDigest);
  }
  if (outcome.answer) {
    if (outcome.answer.status !== null) increment(entry.statuses, outcome.answer.status);
    if (outcome.answer.digest !== null) increment(entry.digests, outcome.answer.digest);
  }
}

export function tallyFailure(tally: Tally, variant: number, kind: 'timeout' | 'connection'): void {
  if (kind === 'timeout') tally.timeouts++;
  else tally.connectionErrors++;
  variantAt(tally, variant).errors++;
}

export function errorCount(tally: Tally): number {
  return tally.errorResponses + tally.connectionErrors + tally.timeouts;
}

export interface RunFacts {
  model: LoadResult['model'];
  targetRps: number | null;
  windowSeconds: number;
  lateSends: number;
  lateThresholdMs: number;
  maxGeneratorLagMs: number;
  dropped: number;
  generatorCpuSeconds: number;
}

export function buildResult(tally: Tally, run: RunFacts): LoadResult {
  return {
    model: run.model,
    targetRps: run.targetRps,
    achievedRps: run.windowSeconds > 0 ? tally.completed / run.windowSeconds : 0,
    durationSeconds: run.windowSeconds,
    sent: tally.sent,
    completed: tally.completed,
    statusCounts: Object.fromEntries([...tally.statusCounts].sort(([a], [b]) => a - b).map(([code, n]) => [String(code), n])),
    errors: errorCount(tally),
    connectionErrors: tally.connectionErrors,
    timeouts: tally.timeouts,
    lateSends: run.lateSends,
    lateThresholdMs: run.lateThresholdMs,
    maxGeneratorLagMs: run.maxGeneratorLagMs,
    dropped: run.dropped,
    generatorCpuSeconds: run.generatorCpuSeconds,
    latency: summarizeMicros(tally.latencyUs),
    serviceTime: summarizeMicros(tally.serviceTimeUs),
    latencyHistogram: hdr.encodeIntoCompressedBase64(tally.latencyUs),
    serviceTimeHistogram: hdr.encodeIntoCompressedBase64(tally.serviceTimeUs),
    variants: tally.variants.map((v): VariantOutcome => ({
      name: v.name,
      sent: v.sent,
      completed: v.completed,
      errors: v.errors,
      checksums: Object.fromEntries(v.checksums),
      payloadDigests: Object.fromEntries(v.payloadDigests),
      statuses: Object.fromEntries(v.statuses),
      digests: Object.fromEntries(v.digests),
    })),
  };
}

/** Percentiles of a microsecond histogram, in milliseconds. */
export function summarizeMicros(histogram: hdr.Histogram): LatencySummary {
  const count = histogram.totalCount;
  if (count === 0) return { count: 0, minMs: 0, meanMs: 0, p50Ms: 0, p90Ms: 0, p95Ms: 0, p99Ms: 0, p999Ms: 0, maxMs: 0 };
  const ms = (micros: number) => micros / 1000;
  return {
    count,
    minMs: ms(histogram.minNonZeroValue),
    meanMs: ms(histogram.mean),
    p50Ms: ms(histogram.getValueAtPercentile(50)),
    p90Ms: ms(histogram.getValueAtPercentile(90)),
    p95Ms: ms(histogram.getValueAtPercentile(95)),
    p99Ms: ms(histogram.getValueAtPercentile(99)),
    p999Ms: ms(histogram.getValueAtPercentile(99.9)),
    maxMs: ms(histogram.maxValue),
  };
}

function variantAt(tally: Tally, index: number): VariantTally {
  const entry = tally.variants[index];
  if (entry === undefined) throw new RangeError(`no variant ${index}`);
  return entry;
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
