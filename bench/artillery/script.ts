import { stringify } from 'yaml';
import type { ScenarioSpec, ThresholdRule } from '../scenario/spec.js';
import { expectedAnswers, type ExpectedAnswers } from './answers.js';

/**
 * A scenario as an Artillery 2 script (pure): its arrival rate as phases, its weighted request mix
 * as weighted Artillery scenarios, the answers as `expect` checks, and the thresholds Artillery can
 * check as `ensure` conditions. Whatever has no Artillery equivalent is returned in `unmapped`, one
 * line each, for the caller to print.
 */

/** Artillery reports one `intermediate` summary per this many seconds (wall-clock aligned). */
export const ARTILLERY_PERIOD_SECONDS = 10;

/** Where the script points when no --target-url is given: `npm start`'s default address. */
export const DEFAULT_LAB_URL = 'http://127.0.0.1:8080';

export interface ExportOptions {
  /** Base URL of the system under test; null: a lab the user starts locally (DEFAULT_LAB_URL). */
  targetUrl: string | null;
  /** `--trials`: measured periods; null for the scenario's own trials. */
  trials: number | null;
  /**
   * Copies of the script that will run at once (`artillery run-fargate --count N`): each gets
   * 1/N of the rate, so together they send the scenario's rate and the import judges it as written.
   */
  count: number;
}

export type ArtilleryExport =
  | {
      ok: true;
      /** The script as a plain object (what YAML is written from). */
      script: ArtilleryScript;
      /** The lab command line matching the scenario's server knobs. */
      labCommand: string;
      /** What the script does not reproduce, one line each. */
      unmapped: string[];
      answers: ExpectedAnswers[];
    }
  | { ok: false; message: string };

interface ArtilleryRequest {
  name: string;
  url: string;
  capture?: Array<{ regexp: string; group: number; as: string; strict: boolean }>;
  expect: Array<Record<string, unknown>>;
}

export interface ArtilleryScript {
  config: {
    target: string;
    http: { pool: number; timeout: number };
    phases: Array<{ name: string; duration: number | string; arrivalRate: number }>;
    plugins: { expect: Record<string, unknown>; ensure: Record<string, never> };
    ensure?: { maxErrorRate?: number; conditions?: Array<{ expression: string; strict: boolean }> };
  };
  scenarios: Array<{ name: string; weight: number; flow: Array<{ get: ArtilleryRequest }> }>;
}

/** Client-latency keys Artillery summarises (`http.response_time.<aggregation>`). */
const LATENCY_AGGREGATIONS: Readonly<Record<string, string>> = {
  p50_ms: 'p50',
  p90_ms: 'p90',
  p95_ms: 'p95',
  p99_ms: 'p99',
  max_ms: 'max',
};

export function buildArtilleryScript(spec: ScenarioSpec, options: ExportOptions): ArtilleryExport {
  if (spec.load.model !== 'open' || spec.load.rateRps === null) {
    return {
      ok: false,
      message: `${spec.name}: the closed model (fixed connections) has no Artillery equivalent: Artillery drives arrival rates (the open model)`,
    };
  }
  const unmapped: string[] = [];
  const trials = options.trials ?? spec.load.trials;
  const rateRps = spec.load.rateRps / options.count;
  // Trials: Artillery summarises fixed 10 s wall-clock periods, never phases, so a trial can only
  // be a period. One long measured phase, one period longer than the trials: its start falls
  // anywhere in a period, so the warm-up's period and a short last period are left out on import
  // and `trials` whole periods remain. Consecutive phases would add nothing the report could see.
  const phases = [
    ...(spec.load.warmupSeconds > 0 ? [{ name: 'warm-up', duration: phaseDuration(spec.load.warmupSeconds), arrivalRate: rateRps }] : []),
    { name: 'measured', duration: (trials + 1) * ARTILLERY_PERIOD_SECONDS, arrivalRate: rateRps },
  ];
  if (spec.load.durationSeconds !== ARTILLERY_PERIOD_SECONDS) {
    unmapped.push(
      `load.duration_seconds ${spec.load.durationSeconds}: a trial becomes one of Artillery's ${ARTILLERY_PERIOD_SECONDS} s report periods (${trials} periods measured)`,
    );
  }
  if (spec.load.trialsPerLab < trials) {
    unmapped.push(`load.trials_per_lab ${spec.load.trialsPerLab}: one target serves every period (no fresh lab processes)`);
  }
  if (spec.load.duetSeconds > 0) unmapped.push(`load.duet_seconds ${spec.load.duetSeconds}: the duet needs two labs side by side`);
  unmapped.push(`load.seed ${spec.load.seed}: Artillery picks request variants at random, not from a seeded sequence`);

  const answers = expectedAnswers(spec);
  const scenarios = spec.requests.map((request, index) => ({
    name: request.name,
    weight: artilleryWeight(spec.requests, index),
    flow: [{ get: requestWithChecks(request.name, request.path, answers[index]) }],
  }));

  const conditions: Array<{ expression: string; strict: boolean }> = [];
  let maxErrorRate: number | undefined;
  for (const rule of spec.thresholds) {
    const mapped = mapThreshold(rule);
    if (mapped.kind === 'condition') conditions.push({ expression: mapped.expression, strict: true });
    else if (mapped.kind === 'max-error-rate') maxErrorRate = Math.min(maxErrorRate ?? Infinity, mapped.percent);
    else unmapped.push(`thresholds.${rule.metric} "${rule.expression.source}": ${mapped.reason}`);
  }
  for (const rule of spec.gate) {
    unmapped.push(
      `gate.${rule.metric} "${rule.allowed.source}": gate rules compare two runs; import the report (--import artillery) to gate it`,
    );
  }
  const ensure = {
    ...(maxErrorRate !== undefined ? { maxErrorRate } : {}),
    ...(conditions.length > 0 ? { conditions } : {}),
  };

  return {
    ok: true,
    script: {
      config: {
        target: options.targetUrl ?? DEFAULT_LAB_URL,
        // A shared keep-alive pool, as our generator keeps: without `pool` every virtual user opens
        // its own connection, so each request would also pay a TCP handshake the lab never sees here.
        http: { pool: spec.load.connections, timeout: spec.load.requestTimeoutMs / 1000 },
        phases,
        plugins: {
          // Failed checks count as errors (so they fail `maxErrorRate`), reported per variant name.
          expect: { reportFailuresAsErrors: true, useOnlyRequestNames: true, outputFormat: 'silent' },
          ensure: {},
        },
        ...(Object.keys(ensure).length > 0 ? { ensure } : {}),
      },
      scenarios,
    },
    labCommand: labCommand(spec),
    unmapped,
    answers,
  };
}

/** The script as YAML, with a header comment saying what it is and how to run it. */
export function renderArtilleryYaml(spec: ScenarioSpec, exported: Extract<ArtilleryExport, { ok: true }>, options: ExportOptions): string {
  const target = options.targetUrl === null ? [`#   start the lab it measures: ${exported.labCommand}`] : [];
  const header = [
    `# Artillery 2 script for the metric-lab scenario "${spec.name}" (${spec.file}): ${spec.description}`,
    `# Written by: npm run bench -- --export artillery --scenario ${spec.name}${options.count > 1 ? ` --count ${options.count}` : ''}`,
    '#',
    ...target,
    `#   run it:    artillery run this.yml --output report.json${options.count > 1 ? `   (or: artillery run-fargate --count ${options.count} this.yml --output report.json)` : ''}`,
    `#   gate it:   npm run bench -- --import artillery report.json --scenario ${spec.name}`,
    '#',
    `# One warm-up phase, then one measured phase: Artillery summarises fixed ${ARTILLERY_PERIOD_SECONDS} s periods, and each`,
    '# period after the warm-up becomes one trial on import (the measured phase lasts one period more',
    '# than the trials, because the run starts anywhere within a period).',
    options.count > 1
      ? `# Rate: ${spec.load.rateRps} req/s in all, ${options.count} copies of this script at 1/${options.count} each.`
      : `# Rate: ${spec.load.rateRps} req/s (to spread it over N copies, export with --count N).`,
    '# Answers are checked exactly (loop_checksum as digits, payload_digest); `ensure` checks the',
    "# thresholds on Artillery's whole-run summary, warm-up included; the import checks them again on",
    '# the measured periods only.',
  ];
  return `${header.join('\n')}\n${stringify(exported.script, { lineWidth: 0 })}`;
}

/** Artillery 2.0.21 rejects a fractional number of seconds ("Invalid duration for phase: 0.5") but takes "500ms". */
export function phaseDuration(seconds: number): number | string {
  return Number.isInteger(seconds) ? seconds : `${Math.round(seconds * 1000)}ms`;
}

function labCommand(spec: ScenarioSpec): string {
  const url = new URL(DEFAULT_LAB_URL);
  return ['npm', 'start', '--', '--host', url.hostname, '--port', url.port, ...spec.serverArgs].join(' ');
}

/**
 * Artillery expands each weight into `weight * 100` slots of an array, so a weight of 1 000 000
 * (which the scenario schema allows) would cost 10^8 slots: large mixes are written as percentages.
 */
function artilleryWeight(requests: ScenarioSpec['requests'], index: number): number {
  const weight = requests[index]?.weight ?? 0;
  const total = requests.reduce((sum, r) => sum + r.weight, 0);
  if (total <= 10_000) return weight;
  return Math.max(0.01, Math.round((weight / total) * 10_000) / 100);
}

function requestWithChecks(name: string, url: string, answers: ExpectedAnswers | undefined): ArtilleryRequest {
  const capture: NonNullable<ArtilleryRequest['capture']> = [];
  const expect: ArtilleryRequest['expect'] = [{ statusCode: 200 }];
  // A regexp on the raw body: `loop_checksum` exceeds 2^53, and a JSON capture would round it.
  if (answers?.checksum) {
    capture.push({ regexp: '"loop_checksum":([0-9]+)', group: 1, as: 'loop_checksum', strict: false });
    expect.push({ equals: ['{{ loop_checksum }}', answers.checksum] });
  }
  if (answers?.payloadDigest) {
    capture.push({ regexp: '"payload_digest":"([^"]+)"', group: 1, as: 'payload_digest', strict: false });
    expect.push({ equals: ['{{ payload_digest }}', answers.payloadDigest] });
  }
  return { name, url, ...(capture.length > 0 ? { capture } : {}), expect };
}

type MappedThreshold =
  { kind: 'condition'; expression: string } | { kind: 'max-error-rate'; percent: number } | { kind: 'unmapped'; reason: string };

/** One threshold onto `ensure`, or why it cannot be. */
export function mapThreshold(rule: ThresholdRule): MappedThreshold {
  const { metric, expression } = rule;
  const aggregation = LATENCY_AGGREGATIONS[metric];
  if (aggregation !== undefined) {
    return { kind: 'condition', expression: `http.response_time.${aggregation} ${expression.operator} ${expression.value}` };
  }
  if (metric === 'p999_ms') {
    // ensure 1.15 substitutes metric names as substrings: "http.response_time.p99" inside
    // "http.response_time.p999" breaks the expression (seen: a parse error, the check failing).
    return { kind: 'unmapped', reason: "Artillery's ensure plugin misreads http.response_time.p999 (it replaces the p99 inside it)" };
  }
  if (metric === 'error_ratio') {
    if (expression.operator === '<' || expression.operator === '<=') {
      return { kind: 'max-error-rate', percent: expression.value * 100 };
    }
    return { kind: 'unmapped', reason: 'ensure has only a maximum error rate' };
  }
  if (metric === 'throughput_rps') {
    return {
      kind: 'unmapped',
      reason: "Artillery's http.request_rate is the send rate in whole requests per second, not completed responses",
    };
  }
  if (metric.startsWith('duet.')) return { kind: 'unmapped', reason: 'duet metrics need two labs side by side' };
  return { kind: 'unmapped', reason: "a server-side metric: Artillery sees only the client (the lab's /metrics are not scraped)" };
}
