import { z } from 'zod';
import type { AllowedChange } from '../../ci/gate/types.js';
import { isTaskName, TASK_NAMES, TASK_SIZES } from '../micro/task-sizes.js';
import { metricInfo, MICRO_METRIC_KEY_HELP, microKey, parseMicroKey } from '../results/metrics.js';
import { parseAllowedChange, thresholdIssues, thresholdRules } from './expressions.js';
import type { MicroScenarioSpec } from './micro-spec.js';

/**
 * A micro-benchmark scenario file (`kind: micro`), as written (YAML, snake_case): the lab's pure
 * functions with their sizes, how long to time them, and what the gate allows. Defaults live
 * here; `toMicroSpec` makes the stored `MicroScenarioSpec`.
 */
const sizeParams = z.record(z.string(), z.number()).nullable();

const timing = z.strictObject({
  // Paired trials, A B / B A like the load scenarios'; 12 × 0.1 s per task keeps the default suite's cost small.
  trials: z.number().int().min(1).max(100).default(12),
  seconds_per_trial: z.number().min(0.01).max(10).default(0.1),
  warmup_seconds: z.number().min(0).max(30).default(0.3),
});

const instructions = z.strictObject({
  enabled: z.boolean().default(true),
  timeout_seconds: z.number().int().min(1).max(3600).default(120),
});

/** `item_bytes` → `itemBytes`: files are snake_case, the tasks' size schemas camelCase. */
export const camelCase = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const snakeCase = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export const microScenarioFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    kind: z.literal('micro'),
    name: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'a lowercase name like "micro"')
      .optional(),
    description: z.string().min(1),
    tasks: z.record(z.string(), sizeParams),
    timing: timing.default(() => timing.parse({})),
    instructions: instructions.default(() => instructions.parse({})),
    thresholds: z.record(z.string(), z.union([z.string(), z.array(z.string()).min(1)])).default({}),
    gate: z.record(z.string(), z.string()).default({}),
  })
  .superRefine((file, ctx) => {
    const tasks = Object.keys(file.tasks);
    if (tasks.length === 0)
      ctx.addIssue({ code: 'custom', path: ['tasks'], message: `expected at least one task: ${TASK_NAMES.join(', ')}` });
    for (const [task, params] of Object.entries(file.tasks)) {
      if (!isTaskName(task)) {
        ctx.addIssue({
          code: 'custom',
          path: ['tasks', task],
          message: `unknown task "${task}": expected one of ${TASK_NAMES.join(', ')}`,
        });
        continue;
      }
      const size = Object.fromEntries(Object.entries(params ?? {}).map(([key, value]) => [camelCase(key), value]));
      const parsed = TASK_SIZES[task].size.safeParse(size);
      if (parsed.success) continue;
      for (const issue of parsed.error.issues) {
        const keys = issue.code === 'unrecognized_keys' ? issue.keys : issue.path.map(String);
        const known = Object.keys(TASK_SIZES[task].size.shape).map(snakeCase);
        const message =
          issue.code === 'unrecognized_keys'
            ? `unknown size parameter; ${task} takes ${known.join(', ')}`
            : issue.message.replace(/^Invalid input: /, '');
        ctx.addIssue({ code: 'custom', path: ['tasks', task, ...keys.map(snakeCase)], message });
      }
    }
    const checkKey = (section: 'thresholds' | 'gate', metric: string): boolean => {
      const micro = parseMicroKey(metric);
      if (!micro) {
        const hint = metricInfo(metric) ? `${metric} is a load-scenario metric; ` : `unknown metric "${metric}": `;
        ctx.addIssue({ code: 'custom', path: [section, metric], message: `${hint}a micro scenario has ${MICRO_METRIC_KEY_HELP}` });
        return false;
      }
      if (!Object.hasOwn(file.tasks, micro.task)) {
        ctx.addIssue({
          code: 'custom',
          path: [section, metric],
          message: `no task "${micro.task}" in this scenario's tasks (${tasks.join(', ')})`,
        });
        return false;
      }
      return true;
    };
    for (const [metric, expressions] of Object.entries(file.thresholds)) {
      if (!checkKey('thresholds', metric)) continue;
      for (const issue of thresholdIssues(metric, expressions)) ctx.addIssue({ code: 'custom', ...issue });
    }
    for (const [metric, allowed] of Object.entries(file.gate)) {
      if (!checkKey('gate', metric)) continue;
      const change = parseAllowedChange(allowed);
      if (!change || change.kind !== 'relative' || change.direction !== 'increase') {
        ctx.addIssue({
          code: 'custom',
          path: ['gate', metric],
          message: `expected an allowed regression like "+1%" (lower is better), got ${JSON.stringify(allowed)}`,
        });
      }
    }
  });

export type MicroScenarioFile = z.infer<typeof microScenarioFileSchema>;

/**
 * Gate rules a micro scenario gets for each task when it names none. +1% for instructions: the
 * same code counts within 0.02% run after run; wall time per operation is noisier.
 */
export const DEFAULT_MICRO_GATE = { instructions_per_op: '+1%', ns_per_op: '+10%' } as const;

export function toMicroSpec(file: MicroScenarioFile, fallbackName: string, sourcePath: string): MicroScenarioSpec {
  const tasks = Object.entries(file.tasks).map(([task, params]) => {
    if (!isTaskName(task)) throw new Error(`micro task ${task} passed validation but is unknown`);
    const size = TASK_SIZES[task].size.parse(Object.fromEntries(Object.entries(params ?? {}).map(([k, v]) => [camelCase(k), v])));
    return { task, size: size as Record<string, number>, warmupOps: TASK_SIZES[task].warmupOps, measuredOps: TASK_SIZES[task].measuredOps };
  });
  const gateSource =
    Object.keys(file.gate).length > 0
      ? file.gate
      : Object.fromEntries(
          tasks.flatMap(({ task }) => [
            [microKey(task, 'instructions_per_op'), DEFAULT_MICRO_GATE.instructions_per_op],
            [microKey(task, 'ns_per_op'), DEFAULT_MICRO_GATE.ns_per_op],
          ]),
        );
  return {
    kind: 'micro',
    name: file.name ?? fallbackName,
    description: file.description,
    file: sourcePath,
    tasks,
    timing: {
      trials: file.timing.trials,
      secondsPerTrial: file.timing.seconds_per_trial,
      warmupSeconds: file.timing.warmup_seconds,
    },
    instructions: { enabled: file.instructions.enabled, timeoutSeconds: file.instructions.timeout_seconds },
    thresholds: thresholdRules(file.thresholds),
    gate: Object.entries(gateSource).map(([metric, source]) => ({ metric, allowed: parseAllowedChange(source) as AllowedChange })),
  };
}
