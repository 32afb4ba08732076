import { z } from 'zod';
import type { AllowedChange } from '../../ci/gate/types.js';

/**
 * The small languages inside scenario files: k6-like thresholds ("< 250") and allowed
 * regressions for the gate ("+10%", "+0.01"). Pure parsing and evaluation.
 */

export const THRESHOLD_OPERATORS = ['<', '<=', '>', '>=', '=='] as const;
export type ThresholdOperator = (typeof THRESHOLD_OPERATORS)[number];

export const thresholdExpressionSchema = z.object({
  operator: z.enum(THRESHOLD_OPERATORS),
  value: z.number(),
  /** As written, for messages and reports. */
  source: z.string(),
});
export type ThresholdExpression = z.infer<typeof thresholdExpressionSchema>;

const THRESHOLD = /^\s*(<=|>=|==|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i;

export function parseThreshold(source: string): ThresholdExpression | null {
  const match = THRESHOLD.exec(source);
  if (!match) return null;
  return { operator: match[1] as ThresholdOperator, value: Number(match[2]), source: source.trim() };
}

export function thresholdHolds(expression: ThresholdExpression, actual: number): boolean {
  switch (expression.operator) {
    case '<':
      return actual < expression.value;
    case '<=':
      return actual <= expression.value;
    case '>':
      return actual > expression.value;
    case '>=':
      return actual >= expression.value;
    case '==':
      return actual === expression.value;
  }
}

const ALLOWED = /^\s*([+-])\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/;

export function parseAllowedChange(source: string): AllowedChange | null {
  const match = ALLOWED.exec(source);
  if (!match) return null;
  const direction = match[1] === '+' ? 'increase' : 'decrease';
  const amount = Number(match[2]);
  return match[3] === '%'
    ? { kind: 'relative', fraction: amount / 100, direction, source: source.trim() }
    : { kind: 'absolute', amount, direction, source: source.trim() };
}

/** Thresholds as a scenario file writes them: one expression or a list, per metric. */
export type ThresholdSource = Readonly<Record<string, string | readonly string[]>>;

/** Each unparsable threshold expression, with its path in the file (pure; for the schemas' refinements). */
export function thresholdIssues(
  metric: string,
  expressions: string | readonly string[],
): Array<{ path: Array<string | number>; message: string }> {
  const list = typeof expressions === 'string' ? [expressions] : expressions;
  return list.flatMap((expression, index) =>
    parseThreshold(expression)
      ? []
      : [
          {
            path: typeof expressions === 'string' ? ['thresholds', metric] : ['thresholds', metric, index],
            message: `expected a threshold like "< 250" (operators < <= > >= ==), got ${JSON.stringify(expression)}`,
          },
        ],
  );
}

/** Validated thresholds as rules, one per expression. */
export function thresholdRules(source: ThresholdSource): Array<{ metric: string; expression: ThresholdExpression }> {
  return Object.entries(source).flatMap(([metric, expressions]) =>
    (typeof expressions === 'string' ? [expressions] : expressions).map((text) => ({
      metric,
      expression: parseThreshold(text) as ThresholdExpression,
    })),
  );
}
