import { describe, expect, it } from 'vitest';
import { loopChecksum, simulateLoopBigInt } from '../../server/work/checksum.js';

const U64 = 1n << 64n;

describe('loopChecksum (simulateLoop) wraps like uint64', () => {
  it('agrees with the BigInt reference across the carry-chunk boundary (2^20 steps)', () => {
    for (const n of [(1 << 20) - 1, 1 << 20, (1 << 20) + 1, (2 << 20) + 7]) {
      expect(loopChecksum(n), `n=${n}`).toBe(simulateLoopBigInt(n));
    }
  });

  it('agrees with the BigInt reference for pseudo-random iteration counts', () => {
    let state = 12345;
    for (let k = 0; k < 40; k++) {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      const n = state % 300_000;
      expect(loopChecksum(n), `n=${n}`).toBe(simulateLoopBigInt(n));
    }
  });

  it('wraps past 2^64: 5,000,000 iterations sum to more than 2^64 before the wrap', () => {
    // Sum of i^2 alone already exceeds 2^64 here, so only wrapping arithmetic yields the golden value.
    const n = 5_000_000n;
    const sumOfSquares = ((n - 1n) * n * (2n * n - 1n)) / 6n;
    expect(sumOfSquares > U64).toBe(true);
    expect(loopChecksum(5_000_000)).toBe(4_773_166_026_647_465_696n);
  });

  it('keeps each step exact for indices up to 2^32 - 1, where i*i needs all 64 bits', () => {
    // 479,772,853 and 959,545,706 are indices where floor(i*i / 2^32) in doubles is off by one:
    // i*i rounds across a 2^32 boundary. Naive double arithmetic is right almost everywhere else.
    for (const firstIndex of [2 ** 26, 94_906_265, 479_772_853 - 1_500, 959_545_706 - 1_500, 2 ** 32 - 3_000]) {
      expect(loopChecksum(3_000, firstIndex), `from ${firstIndex}`).toBe(simulateLoopBigInt(3_000, firstIndex));
    }
  });

  it('rejects indices it cannot compute exactly', () => {
    expect(() => loopChecksum(1, 2 ** 32)).toThrow(RangeError);
    expect(() => loopChecksum(-1)).toThrow(RangeError);
    expect(() => loopChecksum(1.5)).toThrow(RangeError);
  });
});
