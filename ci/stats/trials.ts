/**
 * Validation of trial values at the boundary of the statistics: the gate works on log values,
 * so every value must be a positive finite number.
 */

export type Side = 'baseline' | 'current';

/** null when `values` are usable, otherwise one line naming the side, index and value. */
export function trialValuesProblem(side: Side, values: readonly number[]): string | null {
  if (values.length === 0) return `${side}: no trials (expected at least one value)`;
  for (const [index, value] of values.entries()) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      return `${side}[${index}]: expected a positive finite number, got ${String(value)}`;
    }
  }
  return null;
}
