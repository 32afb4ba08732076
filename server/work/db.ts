import { setTimeout as sleep } from 'node:timers/promises';
import type { Random } from './rng.js';

export interface DbWaitShape {
  dbMinMs: number;
  dbMaxMs: number;
  dbSpikeProbability: number;
  dbSpikeMs: number;
}

/**
 * The simulated DB latency: uniform in [min, max) at microsecond resolution, as Go's
 * `min + rand.Int63n(max-min)` is uniform in nanoseconds, plus a spike with the given probability.
 */
export function drawDbWaitMs(shape: DbWaitShape, random: Random): number {
  const spanMicros = Math.round((shape.dbMaxMs - shape.dbMinMs) * 1000);
  const uniformMs = shape.dbMinMs + Math.floor(random() * spanMicros) / 1000;
  // Draw the spike coin every time so a seed gives the same sequence whatever the probability.
  const spiked = random() < shape.dbSpikeProbability;
  return spiked ? uniformMs + shape.dbSpikeMs : uniformMs;
}

/**
 * Waits like a DB call: off the CPU, on a timer. Node timers have millisecond granularity and fire
 * late when the event loop is busy — exactly what the lab should let you see.
 */
export async function simulateDb(waitMs: number): Promise<void> {
  if (waitMs > 0) await sleep(waitMs);
}
