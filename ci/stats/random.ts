/**
 * A small seeded PRNG for reproducible simulations (not for anything security-related).
 */
import { seededRandom } from '../../lib/random.js';

export interface SeededRandom {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
}

/** The lab's mulberry32 stream (server/work/rng.ts) with Box–Muller normals. */
export function createSeededRandom(seed: number): SeededRandom {
  const uniform = seededRandom(seed);
  let spareNormal: number | null = null;
  const normal = (): number => {
    if (spareNormal !== null) {
      const value = spareNormal;
      spareNormal = null;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
  return { uniform, normal };
}
