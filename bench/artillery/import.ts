import type { LatencySummary, LoadResult, VariantOutcome } from '../load/types.js';
import { aggregateTrials } from '../results/aggregate.js';
import { variantCorrectness } from '../results/correctness.js';
import type { ScenarioOutcome, ScenarioOutcomeBase } from '../results/results.js';
import { NO_SERVER_METRICS, type ServerTrialMetrics } from '../results/server-metrics.js';
import { evaluateThresholds } from '../results/thresholds.js';
import { trialMetrics, trialValidity, type TrialResult } from '../results/trial.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { expectedAnswers, type ExpectedAnswers } from './answers.js';
import { histogramFromSummary } from './histogram.js';
import type { ArtilleryPeriod, ArtilleryReport, ArtillerySummary } from './report.js';
import { ARTILLERY_PERIOD_SECONDS } from './script.js';

/**
 * An Artillery JSON report → one scenario's outcome in this project's terms (pure): each 10 s
 * period after the warm-up is a trial, judged valid by the scenario's own rules (achieved vs target
 * rate, error ratio), pooled, checked against the thresholds Artillery's numbers can answer.
 */

/** Metrics an Artillery report yields; everything else (server side, sections, duet) it cannot. */
export const ARTILLERY_METRICS: ReadonlySet<string> = new Set([
  'p50_ms',
  'p90_ms',
  'p95_ms',
  'p99_ms',
  'p999_ms',
  'max_ms',
  'error_ratio',
  'throughput_rps',
]);

/** A period with less load than this share of a whole period is left out: too few requests to judge. */
const MIN_PERIOD_SHARE = 0.5;

/** Where Artillery's numbers come from and what they lack, for every imported run (README: "Artillery"). */
export const ARTILLERY_NOTES: readonly string[] = [
  "Latency is Artillery's http.response_time: from the request written to the first byte of the response, " +
    'in whole milliseconds (Date.now()); not from the intended send time as our generator measures, so waiting for ' +
    "a connection in Artillery's pool, the connection set-up and the body's download are not in it.",
  "Per-period percentiles are Artillery's summaries (DDSketch, 1% relative accuracy); its JSON report carries no " +
    'histogram data, so pooled percentiles and the distribution charts come from histograms rebuilt between the ' +
    'summary points (min, p50, p75, p90, p95, p99, p999, max): approximations.',
  "Not available: server-side metrics (server_*, section.*: the lab's /metrics were not scraped), duet metrics, " +
    "and the generator's late or dropped sends, so a period's validity is its achieved rate and error ratio only.",
  'Margins: the shipped margins were calibrated for paired A/B trials of our generator on one machine; Artillery ' +
    'periods are compared as independent samples, and client p95 needs margins of about +20% there (measured).',
];

export interface ImportedScenario {
  outcome: ScenarioOutcome;
  /** Periods not used as trials, and why (warm-up, too short). */
  leftOut: string[];
  /** The scenario's thresholds and gate rules an Artillery report cannot answer. */
  unavailable: string[];
}

export function importArtilleryReport(report: ArtilleryReport, spec: ScenarioSpec, hash: string): ImportedScenario {
  const periods = [...report.intermediate].sort((a, b) => a.period - b.period);
  const runStartMs = Math.min(report.aggregate.firstMetricAt, ...periods.map((p) => p.firstMetricAt));
  const warmupEndMs = runStartMs + spec.load.warmupSeconds * 1000;
  const targetRps = spec.load.rateRps;
  const answers = expectedAnswers(spec);
  const leftOut: string[] = [];
  const trials: TrialResult[] = [];
  for (const period of periods) {
    const label = `period ${new Date(period.period).toISOString().slice(11, 19)}`;
    const windowSeconds = periodWindowSeconds(period, targetRps);
    if (spec.load.warmupSeconds > 0 && period.period < warmupEndMs) {
      leftOut.push(`${label}: contains the warm-up`);
    } else if (windowSeconds < ARTILLERY_PERIOD_SECONDS * MIN_PERIOD_SHARE) {
      leftOut.push(`${label}: only ${windowSeconds.toFixed(1)} s of load (a partial period)`);
    } else {
      trials.push(trialFromPeriod(period, trials.length + 1, windowSeconds, spec, answers));
    }
  }

  const unavailable = [
    ...spec.thresholds.filter((t) => !ARTILLERY_METRICS.has(t.metric)).map((t) => `threshold ${t.metric} ${t.expression.source}`),
    ...spec.gate.filter((g) => !ARTILLERY_METRICS.has(g.metric)).map((g) => `gate rule ${g.metric} ${g.allowed.source}`),
  ];
  const aggregate = aggregateTrials(trials);
  const base: ScenarioOutcomeBase = {
    name: spec.name,
    // The scenario's hash (what it measures); the stored spec says how Artillery ran it: periods as trials.
    hash,
    spec: {
      ...spec,
      load: { ...spec.load, durationSeconds: ARTILLERY_PERIOD_SECONDS, trials: trials.length, trialsPerLab: trials.length, duetSeconds: 0 },
    },
    trials,
    aggregate,
    correctness: variantCorrectness(trials),
    thresholds: aggregate
      ? evaluateThresholds(
          spec.thresholds.filter((t) => ARTILLERY_METRICS.has(t.metric)),
          aggregate.metrics,
        )
      : [],
    durationSeconds: Math.max(0, (report.aggregate.lastMetricAt - runStartMs) / 1000),
  };
  // As for our own runs (bench/run/run-scenario.ts): at least half the trials valid.
  const valid = trials.filter((t) => t.validity.valid).length;
  const needed = Math.max(1, Math.ceil(trials.length / 2));
  if (valid >= needed) return { outcome: { ...base, status: 'ok' }, leftOut, unavailable };
  const reasons = [...new Set(trials.flatMap((t) => (t.validity.valid ? [] : t.validity.reasons)))];
  const reason =
    trials.length === 0
      ? `no usable period in the report (${leftOut.join('; ') || 'no intermediate periods'})`
      : `${valid} of ${trials.length} periods valid (need ${needed}): ${reasons.join('; ')}`;
  return { outcome: { ...base, status: 'invalid', reason }, leftOut, unavailable };
}

/**
 * Seconds of load a period saw: from its first to its last measurement, plus one arrival interval
 * (N arrivals span N-1 intervals), never more than the period.
 */
export function periodWindowSeconds(period: ArtilleryPeriod, targetRps: number | null): number {
  const spanSeconds = Math.max(0, period.lastMetricAt - period.firstMetricAt) / 1000;
  return Math.min(ARTILLERY_PERIOD_SECONDS, spanSeconds + (targetRps && targetRps > 0 ? 1 / targetRps : 0));
}

const EXPECTATION_ERROR = 'errors.Failed expectations for request ';
const TIMEOUT_ERRORS = new Set(['errors.ETIMEDOUT', 'errors.ESOCKETTIMEDOUT']);

function trialFromPeriod(
  period: ArtilleryPeriod,
  index: number,
  windowSeconds: number,
  spec: ScenarioSpec,
  answers: readonly ExpectedAnswers[],
): TrialResult {
  const count = (key: string) => period.counters[key] ?? 0;
  const statusCounts: Record<string, number> = {};
  for (const [key, value] of Object.entries(period.counters)) {
    const status = /^http\.codes\.(\d{3})$/.exec(key)?.[1];
    if (status !== undefined) statusCounts[status] = value;
  }
  const nonOkResponses = Object.entries(statusCounts).reduce((sum, [status, n]) => sum + (status.startsWith('2') ? 0 : n), 0);
  // Transport errors are Artillery's errors.E* codes; failed checks (errors.Failed …) are not errors
  // of the transport: a wrong status is already in the codes, a wrong answer is correctness.
  let timeouts = 0;
  let connectionErrors = 0;
  for (const [key, value] of Object.entries(period.counters)) {
    if (TIMEOUT_ERRORS.has(key)) timeouts += value;
    else if (/^errors\.E[A-Z_]+$/.test(key)) connectionErrors += value;
  }
  const sent = count('http.requests');
  const completed = count('http.responses');
  const summary = period.summaries['http.response_time'];
  const latency = summary ? latencyFrom(summary) : EMPTY_LATENCY;
  const histogram = histogramFromSummary(summary ?? { ...ZERO_SUMMARY });
  const client: LoadResult = {
    model: 'open',
    targetRps: spec.load.rateRps,
    achievedRps: completed / windowSeconds,
    durationSeconds: windowSeconds,
    sent,
    completed,
    statusCounts,
    errors: nonOkResponses + connectionErrors + timeouts,
    connectionErrors,
    timeouts,
    // Artillery does not report how late its arrivals were; 0 here means "not measured".
    lateSends: 0,
    lateThresholdMs: 0,
    maxGeneratorLagMs: 0,
    dropped: 0,
    generatorCpuSeconds: 0,
    latency,
    serviceTime: latency,
    latencyHistogram: histogram,
    serviceTimeHistogram: histogram,
    variants: variantOutcomes(period, answers, nonOkResponses),
  };
  // Artillery sees only the client's side.
  const server: ServerTrialMetrics = NO_SERVER_METRICS;
  return {
    index,
    startedAt: new Date(Math.max(period.period, period.firstMetricAt)).toISOString(),
    validity: trialValidity(client, spec.validity),
    client,
    errorRatio: sent > 0 ? client.errors / sent : 0,
    server,
    duet: null,
    metrics: trialMetrics(client, server),
  };
}

/** The value recorded for responses that failed Artillery's answer check. */
export const MISMATCH_ANSWER = 'not the expected answers (an Artillery check of this variant failed)';

/**
 * Per variant: the responses that passed Artillery's checks carried exactly the expected answers.
 * Failed checks are counted per variant name but not per kind, and a non-200 response fails the
 * answer checks too (its body has no checksum). So wrong answers are only claimed when the failed
 * `equals` checks exceed what the period's non-200 responses explain; they are then put on the
 * variants with failed checks, under the checksum (or the digest when there is no checksum), since
 * which of the two failed is not reported. Checks are counted when the response arrives and
 * requests when they are sent, so a period's failures can exceed its requests by a few.
 */
export function variantOutcomes(period: ArtilleryPeriod, answers: readonly ExpectedAnswers[], nonOkResponses: number): VariantOutcome[] {
  const count = (key: string) => period.counters[key] ?? 0;
  const maxEqualsPerRequest = Math.max(0, ...answers.map((a) => (a.checksum ? 1 : 0) + (a.payloadDigest ? 1 : 0)));
  const wrongAnswers = count('plugins.expect.failed.equals') > maxEqualsPerRequest * nonOkResponses;
  return answers.map((answer) => {
    const sent = count(`vusers.created_by_name.${answer.variant}`);
    const failed = count(`${EXPECTATION_ERROR}${answer.variant}`);
    const passed = Math.max(0, sent - failed);
    const mismatchOn = answer.checksum !== null ? 'checksum' : 'digest';
    const tally = (value: string | null, which: 'checksum' | 'digest'): Record<string, number> => {
      if (value === null) return {};
      if (!(wrongAnswers && failed > 0 && which === mismatchOn)) return passed > 0 ? { [value]: passed } : {};
      // The expected answer stays listed (even at 0 responses) beside the mismatch, so the variant
      // reads as answering inconsistently (exit 4) with or without a baseline to compare with.
      return { [value]: passed, [MISMATCH_ANSWER]: failed };
    };
    return {
      name: answer.variant,
      sent,
      // Artillery counts arrivals and failed checks per variant, not responses.
      completed: sent,
      errors: failed,
      checksums: tally(answer.checksum, 'checksum'),
      payloadDigests: tally(answer.payloadDigest, 'digest'),
      // Artillery checks the status (200) but reports no codes or body digests per variant.
      statuses: {},
      digests: {},
    };
  });
}

function latencyFrom(s: ArtillerySummary): LatencySummary {
  return {
    count: s.count,
    minMs: s.min,
    meanMs: s.mean,
    p50Ms: s.p50,
    p90Ms: s.p90,
    p95Ms: s.p95,
    p99Ms: s.p99,
    p999Ms: s.p999,
    maxMs: s.max,
  };
}

const ZERO_SUMMARY: ArtillerySummary = { count: 0, min: 0, max: 0, mean: 0, p50: 0, p75: 0, p90: 0, p95: 0, p99: 0, p999: 0 };
const EMPTY_LATENCY: LatencySummary = latencyFrom(ZERO_SUMMARY);
