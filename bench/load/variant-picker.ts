/**
 * Seeded weighted choice of request variants: one seed always yields one sequence, so two runs
 * of a plan send the same mix in the same order.
 */
import { seededRandom } from '../../lib/random.js';

/** Returns the index of the next variant. Weights must be finite, >= 0, and not all zero. */
export function createVariantPicker(weights: readonly number[], seed: number): () => number {
  const cumulative: number[] = [];
  let total = 0;
  for (const weight of weights) {
    if (!Number.isFinite(weight) || weight < 0) throw new RangeError(`variant weight must be a finite number >= 0, got ${weight}`);
    total += weight;
    cumulative.push(total);
  }
  if (!(total > 0)) throw new RangeError('variant weights must not all be zero');
  const last = cumulative.length - 1;
  if (last === 0) return () => 0;

  const random = seededRandom(seed);
  return () => {
    const target = random() * total;
    // Binary search for the first cumulative weight above the target; zero-weight variants
    // share their predecessor's bound and are never chosen.
    let low = 0;
    let high = last;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((cumulative[mid] as number) > target) high = mid;
      else low = mid + 1;
    }
    return low;
  };
}
