import { randomInt } from 'node:crypto';
import { seededRandom, type Random } from '../../lib/random.js';

// Go's math/rand stream cannot be reproduced in JS anyway, so the lab only promises that one seed
// gives one sequence (lib/random.ts: mulberry32).
export { seededRandom, type Random };

/** A stream seeded from the OS, like Go's `rand.Seed(time.Now().UnixNano())`. */
export function unseededRandom(): Random {
  return seededRandom(randomInt(0, 2 ** 32 - 1));
}
