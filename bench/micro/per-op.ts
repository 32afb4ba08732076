/**
 * The arithmetic of a count (pure). The counted process is cut into segments by the marker
 * (`marker.ts`): the measured segment holds `ops` operations plus one marker's own cost, the
 * empty segment that marker cost alone, so one operation costs their difference over `ops`.
 */
import { median } from 'simple-statistics';

export interface Segments {
  /** Start-up, imports, setup and warm-up: reported, never used in the per-op figure. */
  setupIr: number;
  emptyIr: number;
  measuredIr: number;
}

export function instructionsPerOp(segments: Segments, ops: number): number {
  if (!Number.isInteger(ops) || ops < 1) throw new RangeError(`ops must be a positive integer, got ${ops}`);
  return (segments.measuredIr - segments.emptyIr) / ops;
}

export interface Spread {
  min: number;
  median: number;
  max: number;
  /** (max − min) / median: 0 when every run counted the same. */
  relative: number;
}

export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) throw new RangeError('spread of no values');
  const middle = median([...values]);
  const min = Math.min(...values);
  const max = Math.max(...values);
  return { min, median: middle, max, relative: middle === 0 ? 0 : (max - min) / middle };
}

/** Relative change of `current` against `baseline`, e.g. 0.0097 for +0.97%. */
export function relativeChange(baseline: number, current: number): number {
  return (current - baseline) / baseline;
}
