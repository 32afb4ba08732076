import { describe, expect, it } from 'vitest';
import { instructionsPerOp, relativeChange, spreadOf } from '../../bench/micro/per-op.js';

describe('instructions per operation from the counted segments', () => {
  it('takes the marker’s own cost (the empty segment) out and divides by the operations', () => {
    // Measured on this VM: 10 loopChecksum(200000) operations, marker cost 28,269.
    expect(instructionsPerOp({ setupIr: 908_634_164, emptyIr: 28_269, measuredIr: 94_662_759 }, 10)).toBe(9_463_449);
  });

  it('refuses a segment of no operations', () => {
    expect(() => instructionsPerOp({ setupIr: 0, emptyIr: 0, measuredIr: 0 }, 0)).toThrow(RangeError);
  });

  it('states the spread of repeated counts as (max − min) / median', () => {
    expect(spreadOf([102, 100, 101])).toEqual({ min: 100, median: 101, max: 102, relative: 2 / 101 });
    expect(spreadOf([4, 1, 3, 2])).toEqual({ min: 1, median: 2.5, max: 4, relative: 3 / 2.5 });
    expect(spreadOf([7, 7]).relative).toBe(0);
    expect(() => spreadOf([])).toThrow(RangeError);
  });

  it('gives a change relative to its baseline', () => {
    expect(relativeChange(9_464_908, 9_556_971)).toBeCloseTo(0.009727, 6);
  });
});
