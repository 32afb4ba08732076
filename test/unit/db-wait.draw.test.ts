import { describe, expect, it } from 'vitest';
import { drawDbWaitMs } from '../../server/work/db.js';
import { seededRandom } from '../../server/work/rng.js';

const GO_SHAPE = { dbMinMs: 50, dbMaxMs: 200, dbSpikeProbability: 0, dbSpikeMs: 0 };

describe('the simulated DB wait', () => {
  it('is uniform in [min, max) at microsecond resolution, like Go', () => {
    const random = seededRandom(1);
    const draws = Array.from({ length: 20_000 }, () => drawDbWaitMs(GO_SHAPE, random));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...draws)).toBeLessThan(200);
    expect(draws.every((ms) => Number.isInteger(Math.round(ms * 1000)) && Math.abs(ms * 1000 - Math.round(ms * 1000)) < 1e-6)).toBe(true);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(123);
    expect(mean).toBeLessThan(127);
    const belowHundred = draws.filter((ms) => ms < 100).length / draws.length;
    expect(belowHundred).toBeGreaterThan(0.31);
    expect(belowHundred).toBeLessThan(0.356);
  });

  it('adds the spike with the configured probability', () => {
    const random = seededRandom(2);
    const shape = { dbMinMs: 10, dbMaxMs: 20, dbSpikeProbability: 0.05, dbSpikeMs: 500 };
    const draws = Array.from({ length: 20_000 }, () => drawDbWaitMs(shape, random));
    const spiked = draws.filter((ms) => ms >= 510).length / draws.length;
    expect(spiked).toBeGreaterThan(0.04);
    expect(spiked).toBeLessThan(0.06);
    expect(draws.every((ms) => (ms >= 10 && ms < 20) || (ms >= 510 && ms < 520))).toBe(true);
  });

  it('gives one sequence per seed, whatever the spike probability', () => {
    const sequence = (seed: number, p: number) => {
      const random = seededRandom(seed);
      return Array.from({ length: 5 }, () => drawDbWaitMs({ ...GO_SHAPE, dbSpikeProbability: p, dbSpikeMs: 0 }, random));
    };
    expect(sequence(9, 0)).toEqual(sequence(9, 0));
    expect(sequence(9, 0)).toEqual(sequence(9, 0.5));
    expect(sequence(9, 0)).not.toEqual(sequence(10, 0));
  });

  it('is exactly min when min equals max', () => {
    expect(drawDbWaitMs({ dbMinMs: 0, dbMaxMs: 0, dbSpikeProbability: 0, dbSpikeMs: 0 }, seededRandom(3))).toBe(0);
  });
});
