import { thresholdHolds } from '../scenario/expressions.js';
import type { ThresholdRule } from '../scenario/schema.js';

export interface ThresholdOutcome {
  metric: string;
  /** As written in the scenario, e.g. "< 250". */
  expression: string;
  /** Null when the run produced no value for the metric (e.g. a section that never ran). */
  actual: number | null;
  pass: boolean;
}

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
