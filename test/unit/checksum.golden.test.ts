import { describe, expect, it } from 'vitest';
import { loopChecksum, simulateLoopBigInt } from '../../server/work/checksum.js';

// Values the Go lab's `simulateLoop` returns (uint64, wrapping mod 2^64).
const GOLDEN: ReadonlyArray<[iterations: number, checksum: bigint]> = [
  [0, 0n],
  [1, 0n],
  [10, 289n],
  [1_000, 332_854_108n],
  [100_000, 333_328_356_151_216n],
  [1_000_000, 333_332_834_073_844_064n],
  [5_000_000, 4_773_166_026_647_465_696n],
];

describe('loopChecksum (simulateLoop) matches the Go lab bit for bit', () => {
  it.each(GOLDEN)('%i iterations -> %s', (iterations, checksum) => {
    expect(loopChecksum(iterations)).toBe(checksum);
  });

  it.each(GOLDEN.filter(([n]) => n <= 1_000_000))('the BigInt reference agrees for %i iterations', (iterations, checksum) => {
    expect(simulateLoopBigInt(iterations)).toBe(checksum);
  });

  it('exceeds 2^53 where a double would round (the reason for the split arithmetic)', () => {
    expect(loopChecksum(1_000_000) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
  });
});
