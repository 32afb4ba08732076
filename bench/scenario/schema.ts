import { z } from 'zod';
import { applyKnobs, DEFAULT_LIMITS, formatKnobError, GO_DEFAULT_KNOBS, KNOB_SPECS, type WorkKnobs } from '../../server/work/knobs.js';
import { metricInfo, unknownMetricHint } from '../results/metrics.js';
import type { AllowedChange } from '../../ci/gate/types.js';
import { parseAllowedChange, thresholdIssues, thresholdRules } from './expressions.js';
import { targetFileSchema, targetIssues, toTargetSpec } from '../target/target-file.js';
import { LAB_TARGET } from '../target/target-spec.js';
import { requestFileFields, requestIssues, toRequestSpec } from './request-file.js';
import type { ScenarioSpec } from './spec.js';

/**
 * A scenario file, as written (YAML, snake_case). Defaults live here and nowhere else; the
 * parsed result is turned into a fully-defaulted `ScenarioSpec` by `toScenarioSpec`.
 */
/** Workload knobs by query-parameter name; ranges and combinations are checked by the lab's own rules. */
const knobMap = z.strictObject(
  Object.fromEntries(
    KNOB_SPECS.map((spec) => [
      spec.param,
      (spec.kind.type === 'enum' ? z.enum(spec.kind.values as [string, ...string[]]) : z.number()).describe(spec.description).optional(),
    ]),
  ),
) as z.ZodType<Record<string, number | string | undefined>>;

const requestVariant = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'a lowercase name like "heavy-loop"'),
  weight: z.number().positive().max(1_000_000).default(1),
  // Default /api/work for the lab; a target's requests name their path.
  path: z
    .string()
    .regex(/^\/[^?#\s]*$/, 'a path starting with "/" and without a query')
    .optional(),
  // The lab's /api/work takes workload knobs (checked below); any other path any parameters.
  query: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  ...requestFileFields,
});

const load = z.strictObject({
  model: z.enum(['open', 'closed']).default('open'),
  rate_rps: z.number().positive().max(100_000).optional(),
  connections: z.number().int().min(1).max(1024).optional(),
  warmup_seconds: z.number().min(0).max(300).default(2),
  duration_seconds: z.number().positive().max(600).default(5),
  trials: z.number().int().min(1).max(100).default(3),
  trials_per_lab: z.number().int().min(1).max(100).default(3),
  // After each trial, a duet of this length: one request at a time, alternating between the sides (0: none).
  duet_seconds: z.number().min(0).max(60).default(0.5),
  request_timeout_ms: z.number().int().min(10).max(120_000).default(10_000),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(1),
});

const validity = z.strictObject({
  min_rate_ratio: z.number().min(0).max(1).default(0.95),
  // A late send is still measured from its intended time, so lateness inflates latency on both
  // sides rather than hiding anything; the rule catches a generator that cannot keep up.
  max_late_ratio: z.number().min(0).max(1).default(0.05),
  max_error_ratio: z.number().min(0).max(1).default(0.05),
});

export const scenarioFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    /** Load scenarios are the default kind; `kind: micro` files have their own schema (micro-schema.ts). */
    kind: z.literal('load').optional(),
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'a lowercase name like "slow-db"')
      .optional(),
    description: z.string().min(1),
    target: targetFileSchema.describe('the service to measure; absent: the built-in lab').optional(),
    server: knobMap.default({}),
    requests: z.array(requestVariant).min(1).max(64).optional(),
    load,
    thresholds: z.record(z.string(), z.union([z.string(), z.array(z.string()).min(1)])).default({}),
    gate: z.record(z.string(), z.string()).default({}),
    validity: validity.default(() => validity.parse({})),
  })
  .superRefine((file, ctx) => {
    if (file.target) {
      for (const issue of targetIssues(file.target, file.server, file.requests)) ctx.addIssue({ code: 'custom', ...issue });
    }
    const serverKnobs = file.target ? null : checkKnobMap(file.server, GO_DEFAULT_KNOBS, ['server'], ctx);
    file.requests?.forEach((variant, index) => {
      const at = ['requests', index];
      if (!file.target && (variant.path ?? '/api/work') === '/api/work') {
        // The lab's own endpoint: its query is workload knobs, checked by the lab's rules.
        const knobs = knobMap.safeParse(variant.query, { reportInput: true });
        if (!knobs.success) for (const issue of knobs.error.issues) ctx.addIssue({ ...issue, path: [...at, 'query', ...issue.path] });
        else if (serverKnobs) checkKnobMap(knobs.data, { ...serverKnobs, seed: null }, [...at, 'query'], ctx);
      } else if (!file.target && Object.keys(variant.query).some((key) => KNOB_PARAMS.has(key))) {
        ctx.addIssue({ code: 'custom', path: [...at, 'query'], message: 'query knobs apply only to path /api/work' });
      }
      for (const issue of requestIssues(variant)) ctx.addIssue({ code: 'custom', path: [...at, ...issue.path], message: issue.message });
    });
    const names = new Set<string>();
    file.requests?.forEach((variant, index) => {
      if (names.has(variant.name))
        ctx.addIssue({ code: 'custom', path: ['requests', index, 'name'], message: `duplicate request name "${variant.name}"` });
      names.add(variant.name);
    });
    if (file.load.model === 'open' && file.load.rate_rps === undefined) {
      ctx.addIssue({ code: 'custom', path: ['load', 'rate_rps'], message: 'the open model needs rate_rps (requests per second)' });
    }
    if (file.load.model === 'closed' && file.load.rate_rps !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['load', 'rate_rps'], message: 'the closed model has no rate; set connections instead' });
    }
    for (const [metric, expressions] of Object.entries(file.thresholds)) {
      if (metricInfo(metric)?.scope !== 'load') {
        ctx.addIssue({ code: 'custom', path: ['thresholds', metric], message: loadMetricHint(metric) });
        continue;
      }
      for (const issue of thresholdIssues(metric, expressions)) ctx.addIssue({ code: 'custom', ...issue });
    }
    for (const [metric, allowed] of Object.entries(file.gate)) {
      const info = metricInfo(metric);
      if (info?.scope !== 'load') {
        ctx.addIssue({ code: 'custom', path: ['gate', metric], message: loadMetricHint(metric) });
        continue;
      }
      if (info.resolution === 'bucket') {
        const exact = metric.replace('bucket_', '').replace(/^server_p\d+_ms$/, 'server_mean_ms');
        ctx.addIssue({
          code: 'custom',
          path: ['gate', metric],
          message: `${metric} is interpolated from Prometheus buckets and cannot move while observations stay inside one bucket, so it cannot gate; gate on ${exact}${exact.startsWith('section.') ? ` or ${exact.replace(/\.[a-z0-9]+_ms$/, '.mean_ms')}` : ''} (exact)`,
        });
        continue;
      }
      const change = parseAllowedChange(allowed);
      const worse = info.direction === 'lower-is-better' ? '+' : '-';
      if (!change) {
        ctx.addIssue({
          code: 'custom',
          path: ['gate', metric],
          message: `expected an allowed regression like "${worse}10%" or "${worse}0.01", got ${JSON.stringify(allowed)}`,
        });
      } else if ((change.direction === 'increase') !== (info.direction === 'lower-is-better')) {
        ctx.addIssue({
          code: 'custom',
          path: ['gate', metric],
          message: `${metric} is ${info.direction}, so its allowed regression starts with "${worse}", got ${JSON.stringify(allowed)}`,
        });
      }
    }
  });

export type ScenarioFile = z.infer<typeof scenarioFileSchema>;

function loadMetricHint(metric: string): string {
  return metricInfo(metric)?.scope === 'micro'
    ? `${metric} is a micro-benchmark metric: it belongs in a scenario of kind: micro`
    : unknownMetricHint(metric);
}

const KNOB_PARAMS = new Set(KNOB_SPECS.map((spec) => spec.param));

function checkKnobMap(
  map: Record<string, number | string | undefined>,
  base: WorkKnobs,
  path: Array<string | number>,
  ctx: z.RefinementCtx,
): WorkKnobs | null {
  const result = applyKnobs(knobEntries(map), base, DEFAULT_LIMITS);
  if (!result.ok) {
    const field = map[result.error.parameter] !== undefined ? [...path, result.error.parameter] : path;
    const { parameter, expected, received } = result.error;
    const message = `${field === path ? `${parameter}: ` : ''}expected ${expected}, got ${JSON.stringify(received)}`;
    ctx.addIssue({ code: 'custom', path: field, message });
    return null;
  }
  return result.knobs;
}

function knobEntries(map: Record<string, number | string | undefined>): Map<string, string[]> {
  return new Map(Object.entries(map).flatMap(([key, value]) => (value === undefined ? [] : [[key, [String(value)]]])));
}

/** Gate rules a scenario gets when it names none. */
export const DEFAULT_GATE: Readonly<Record<string, string>> = {
  p95_ms: '+10%',
  p99_ms: '+20%',
  error_ratio: '+0.01',
};

export function toScenarioSpec(file: ScenarioFile, fallbackName: string, sourcePath: string): ScenarioSpec {
  const serverArgs = [...knobEntries(file.server)].flatMap(([key, [value]]) => [`--${key.replaceAll('_', '-')}`, value as string]);
  // A fixed server seed by default: the same sequence of DB waits on every run and on both A/B sides.
  if (file.server.seed === undefined && !file.target) serverArgs.push('--seed', '1');
  const knobs = applyKnobs(knobEntries(file.server), GO_DEFAULT_KNOBS, DEFAULT_LIMITS);
  if (!knobs.ok) throw new Error(`scenario server knobs passed validation but failed to apply: ${formatKnobError(knobs.error)}`);
  const requests = (file.requests ?? [{ name: 'work', weight: 1, query: {}, method: 'GET', headers: {} }]).map((variant) => {
    const path = variant.path ?? '/api/work';
    // The lab's knobs in the lab's order (KNOB_SPECS), whatever the file's, as before requests grew.
    const query = !file.target && path === '/api/work' ? knobOrder(variant.query) : variant.query;
    return toRequestSpec(variant, path, query, file.target !== undefined);
  });
  const gateSource = Object.keys(file.gate).length > 0 ? file.gate : DEFAULT_GATE;
  return {
    name: file.name ?? fallbackName,
    description: file.description,
    file: sourcePath,
    target: file.target ? toTargetSpec(file.target) : LAB_TARGET,
    serverArgs,
    serverKnobs: { ...knobs.knobs, seed: file.server.seed === undefined ? 1 : knobs.knobs.seed },
    requests,
    load: {
      model: file.load.model,
      rateRps: file.load.rate_rps ?? null,
      connections: file.load.connections ?? (file.load.model === 'open' ? 64 : 8),
      warmupSeconds: file.load.warmup_seconds,
      durationSeconds: file.load.duration_seconds,
      trials: file.load.trials,
      trialsPerLab: file.load.trials_per_lab,
      duetSeconds: file.load.duet_seconds,
      requestTimeoutMs: file.load.request_timeout_ms,
      seed: file.load.seed,
    },
    thresholds: thresholdRules(file.thresholds),
    gate: Object.entries(gateSource).map(([metric, source]) => ({ metric, allowed: parseAllowedChange(source) as AllowedChange })),
    validity: {
      minRateRatio: file.validity.min_rate_ratio,
      maxLateRatio: file.validity.max_late_ratio,
      maxErrorRatio: file.validity.max_error_ratio,
    },
  };
}

/** The lab's knobs in the lab's order (the order of KNOB_SPECS), whatever the file's (pure). */
function knobOrder(query: Readonly<Record<string, string | number | boolean>>): Record<string, string | number | boolean> {
  return Object.fromEntries(
    KNOB_SPECS.flatMap((spec) => {
      const value = query[spec.param];
      return value === undefined ? [] : [[spec.param, value] as const];
    }),
  );
}
