/**
 * A micro scenario's run on one side (stored in results.json): paired timing trials (tinybench),
 * instruction counts (callgrind), each task's answer, and thresholds. Its metrics use the keys
 * `micro.<task>.ns_per_op` (per trial) and `micro.<task>.instructions_per_op` (one count).
 */
import { median } from 'simple-statistics';
import { z } from 'zod';
import { microScenarioSpecSchema } from '../scenario/micro-spec.js';
import type { TaskMeasurement } from '../micro/measure.js';
import { microKey } from './metrics.js';
import { thresholdOutcomeSchema } from './thresholds.js';

export const microTrialSchema = z.object({
  /** 1-based; trial k of each side ran next to each other. */
  index: z.number().int(),
  /** Per task: tinybench's per-operation times in this trial. */
  timings: z.record(z.string(), z.object({ medianNs: z.number(), meanNs: z.number(), samples: z.number() })),
  /** `micro.<task>.ns_per_op` (the median) by key. */
  metrics: z.record(z.string(), z.number()),
});
export type MicroTrial = z.infer<typeof microTrialSchema>;

const functionCostSchema = z.object({ name: z.string(), object: z.string(), selfIr: z.number(), share: z.number() });

/** bench/micro/measure.ts's `TaskMeasurement`, as stored. */
export const instructionCountSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    task: z.string(),
    size: z.record(z.string(), z.number()),
    warmupOps: z.number(),
    measuredOps: z.number(),
    instructionsPerOp: z.number(),
    unit: z.string(),
    instructionsPerUnit: z.number(),
    segments: z.object({ setupIr: z.number(), emptyIr: z.number(), measuredIr: z.number() }),
    wallMs: z.number(),
    top: z.array(functionCostSchema),
  }),
  z.object({ status: z.literal('skipped'), task: z.string(), reason: z.string() }),
  z.object({ status: z.literal('errored'), task: z.string(), error: z.string() }),
]);
export type InstructionCount = z.infer<typeof instructionCountSchema>;
// What measure.ts returns is exactly what is stored: checked at compile time.
const countsAgree: TaskMeasurement extends InstructionCount ? true : never = true;
void countsAgree;

const microOutcomeBase = {
  kind: z.literal('micro'),
  name: z.string(),
  hash: z.string(),
  spec: microScenarioSpecSchema,
  trials: z.array(microTrialSchema),
  /** One per task, in the spec's order; empty when instruction counting is off. */
  instructions: z.array(instructionCountSchema),
  /** Per task: a digest of what one operation returned (null: it returns nothing). */
  answers: z.array(z.object({ task: z.string(), digest: z.string().nullable() })),
  thresholds: z.array(thresholdOutcomeSchema),
  durationSeconds: z.number(),
  /**
   * Where the instructions went, for tasks whose count regressed: callgrind's costliest functions
   * of the measured operations (JIT code named from V8's perf map; that flag moves counts by up
   * to ~0.6%, so these runs are separate from the gated counts). Empty when nothing regressed.
   */
  topFunctions: z
    .array(
      z.object({
        task: z.string(),
        instructionsPerOp: z.number().nullable(),
        top: z.array(functionCostSchema),
        note: z.string().nullable(),
      }),
    )
    .default([]),
};

/** `ok`: measured (thresholds may still fail, counts may be skipped); `errored`: a child failed. */
export const microOutcomeSchema = z.discriminatedUnion('status', [
  z.object({ ...microOutcomeBase, status: z.literal('ok') }),
  z.object({ ...microOutcomeBase, status: z.literal('errored'), error: z.string() }),
]);
export type MicroOutcome = z.infer<typeof microOutcomeSchema>;

/** Instruction counts by metric key (`micro.<task>.instructions_per_op`), for the tasks that counted. */
export function instructionMetrics(counts: readonly InstructionCount[]): Record<string, number> {
  return Object.fromEntries(
    counts.flatMap((c) => (c.status === 'ok' ? [[microKey(c.task, 'instructions_per_op'), c.instructionsPerOp] as const] : [])),
  );
}

/** The outcome's metrics for thresholds and tables: the median over trials of each timing metric, and the counts. */
export function microSummaryMetrics(trials: readonly MicroTrial[], counts: readonly InstructionCount[]): Record<string, number> {
  const keys = new Set(trials.flatMap((t) => Object.keys(t.metrics)));
  const summary: Record<string, number> = {};
  for (const key of keys) {
    const values = trials.flatMap((t) => (t.metrics[key] !== undefined ? [t.metrics[key] as number] : []));
    if (values.length > 0) summary[key] = median(values);
  }
  return { ...summary, ...instructionMetrics(counts) };
}

/** Why instruction counts of this outcome cannot be gated (all skipped, e.g. no valgrind); null when some counted. */
export function countsUnavailable(outcome: MicroOutcome): string | null {
  if (!outcome.spec.instructions.enabled) return 'instruction counting is off in this scenario';
  const problem = outcome.instructions.find((c) => c.status !== 'ok');
  if (problem === undefined) return null;
  return problem.status === 'skipped' ? `instruction counts skipped: ${problem.reason}` : null;
}
