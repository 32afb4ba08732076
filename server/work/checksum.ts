/**
 * The lab's CPU hot loop, bit-exact with the Go original:
 *
 *     for i := 0; i < n; i++ { checksum += uint64(i*i) ^ uint64(i>>2) }
 *
 * Go's uint64 wraps mod 2^64; JS numbers are doubles (exact only below 2^53) and JS `^` is
 * 32-bit, so a naive port silently computes something else. `simulateLoop` keeps the sum as two
 * 32-bit halves held in doubles, which stays exact without BigInt in the inner loop.
 */

/** Loop implementations the lab can run. Both are exact; `bigint` is the slow reference. */
export const LOOP_IMPLEMENTATIONS = ['number', 'bigint'] as const;
export type LoopImplementation = (typeof LOOP_IMPLEMENTATIONS)[number];

/**
 * Indices at or above 2^32 would make Go's `i*i` itself wrap mod 2^64, which the split arithmetic
 * below does not model. Configuration caps iterations far below this.
 */
export const MAX_EXACT_ITERATIONS = 2 ** 32;

const TWO_POW_32 = 4294967296;
// Each step adds < 2^32 to each half; 2^20 steps keep both halves below 2^52, i.e. exact.
const STEPS_PER_CARRY = 1 << 20;

/**
 * The checksum over `iterations` steps. `firstIndex` starts the loop part-way (the Go loop always
 * starts at 0); it lets tests reach indices near 2^32 without running billions of steps.
 */
export function loopChecksum(iterations: number, firstIndex = 0): bigint {
  assertRange(iterations, firstIndex);
  return simulateLoop(firstIndex, firstIndex + iterations);
}

/**
 * The hot loop over [start, end). It is kept free of any other code on purpose: measured on
 * Node 20, even one range check before the loop in the same function made most processes compile
 * it with float arithmetic and run it ~1.8x slower (4.7 vs 8.6 ms for 2M iterations), and which
 * way a process went was chance. A benchmark harness cannot live with a coin flip per process.
 */
export function simulateLoop(start: number, end: number): bigint {
  let sumLow = 0;
  let sumHigh = 0;
  for (let chunkStart = start; chunkStart < end; chunkStart += STEPS_PER_CARRY) {
    const chunkEnd = Math.min(end, chunkStart + STEPS_PER_CARRY);
    for (let i = chunkStart; i < chunkEnd; i++) {
      // i*i as 64 bits from 16-bit halves of i: every partial product is exact in a double, and
      // the carry term is below 2^17, so `| 0` truncates it exactly (faster than Math.floor).
      const a = i >>> 16;
      const b = i & 0xffff;
      const low = Math.imul(i, i) >>> 0;
      const high = a * a + (((2 * a * b * 65536 + b * b) / TWO_POW_32) | 0);
      // uint64(i>>2) has no high bits, so the XOR only touches the low half.
      sumLow += (low ^ (i >>> 2)) >>> 0;
      sumHigh += high;
    }
    const carry = Math.floor(sumLow / TWO_POW_32);
    sumLow -= carry * TWO_POW_32;
    sumHigh = (sumHigh + carry) % TWO_POW_32;
  }
  return (BigInt(sumHigh) << 32n) | BigInt(sumLow);
}

const U64_MASK = (1n << 64n) - 1n;

/** The obvious BigInt port: exact, roughly two orders of magnitude slower. */
export function simulateLoopBigInt(iterations: number, firstIndex = 0): bigint {
  assertRange(iterations, firstIndex);
  let checksum = 0n;
  for (let i = BigInt(firstIndex), end = BigInt(firstIndex + iterations); i < end; i++) {
    checksum = (checksum + (((i * i) & U64_MASK) ^ (i >> 2n))) & U64_MASK;
  }
  return checksum;
}

export function runLoop(implementation: LoopImplementation, iterations: number): bigint {
  return implementation === 'bigint' ? simulateLoopBigInt(iterations) : loopChecksum(iterations);
}

function assertRange(iterations: number, firstIndex: number): void {
  const valid =
    Number.isSafeInteger(iterations) &&
    Number.isSafeInteger(firstIndex) &&
    iterations >= 0 &&
    firstIndex >= 0 &&
    firstIndex + iterations <= MAX_EXACT_ITERATIONS;
  if (!valid) {
    throw new RangeError(`loop indices must be integers within [0, 2^32), got ${iterations} iterations from ${firstIndex}`);
  }
}
