import { z } from 'zod';
import { thresholdHolds } from '../scenario/expressions.js';
import type { ThresholdRule } from '../scenario/spec.js';

export const thresholdOutcomeSchema = z.object({
  metric: z.string(),
  /** As written in the scenario, e.g. "< 250". */
  expression: z.string(),
  /** Null when the run produced no value for the metric (e.g. a section that never ran). */
  actual: z.number().nullable(),
  pass: z.boolean(),
});
export type ThresholdOutcome = z.infer<typeof thresholdOutcomeSchema>;

/** Checks each rule against the scenario's pooled metrics; a missing value fails. */
export function evaluateThresholds(rules: readonly ThresholdRule[], metrics: Readonly<Record<string, number>>): ThresholdOutcome[] {
  return rules.map(({ metric, expression }) => {
    const actual = metrics[metric];
    return {
      metric,
      expression: expression.source,
      actual: actual ?? null,
      pass: actual !== undefined && thresholdHolds(expression, actual),
    };
  });
}
