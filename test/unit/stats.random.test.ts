import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../ci/stats/random.js';

describe('seeded random numbers', () => {
  it('the same seed gives the same sequence; another seed a different one', () => {
    const draw = (seed: number) => {
      const random = createSeededRandom(seed);
      return Array.from({ length: 5 }, () => random.uniform());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('uniforms lie in [0, 1) with mean ½; normals have mean 0 and variance 1', () => {
    const random = createSeededRandom(7);
    const count = 100_000;
    let uniformSum = 0;
    let normalSum = 0;
    let normalSquares = 0;
    let outOfRange = 0;
    for (let i = 0; i < count; i++) {
      const u = random.uniform();
      if (!(u >= 0 && u < 1)) outOfRange++;
      uniformSum += u;
      const z = random.normal();
      normalSum += z;
      normalSquares += z * z;
    }
    expect(outOfRange).toBe(0);
    // 5 standard errors: ~1e-6 chance of a false failure for a correct generator.
    expect(Math.abs(uniformSum / count - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / count));
    expect(Math.abs(normalSum / count)).toBeLessThan(5 / Math.sqrt(count));
    expect(Math.abs(normalSquares / count - 1)).toBeLessThan(5 * Math.sqrt(2 / count));
  });
});
