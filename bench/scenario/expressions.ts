/**
 * The small languages inside scenario files: k6-like thresholds ("< 250") and allowed
 * regressions for the gate ("+10%", "+0.01"). Pure parsing and evaluation.
 */

export const THRESHOLD_OPERATORS = ['<', '<=', '>', '>=', '=='] as const;
export type ThresholdOperator = (typeof THRESHOLD_OPERATORS)[number];

export interface ThresholdExpression {
  operator: ThresholdOperator;
  value: number;
  /** As written, for messages and reports. */
  source: string;
}

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

/**
 * How much worse a metric may get before the gate calls it a regression: relative ("+10%": up to
 * 10% higher; "-10%": up to 10% lower, for throughput) or absolute ("+0.01", for ratios whose
 * baseline is often exactly zero).
 */
export type AllowedChange =
  | { kind: 'relative'; fraction: number; direction: 'increase' | 'decrease'; source: string }
  | { kind: 'absolute'; amount: number; direction: 'increase' | 'decrease'; source: string };

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
