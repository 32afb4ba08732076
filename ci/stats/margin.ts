/**
 * A gate margin from measured noise, for the paired design (trial k of each side run next to each
 * other): the smallest allowed regression at which unchanged code is decided `pass` in most runs,
 * and the change that margin then catches in most runs.
 *
 * Everything the verdict looks at is equivariant in the paired log differences d: shifting every
 * d by δ shifts the Hodges–Lehmann estimate and both interval ends by δ, and scaling by σ scales
 * them. So the null distribution at σ = 1 decides, for any noise and change:
 *
 *   unchanged passes       ⇔ upper end of the interval < log(1 + m)   → log(1 + m) = σ·Q_p(high)
 *   a change δ (log) caught ⇔ estimate > log(1 + m)                     → δ ≥ log(1 + m) + σ·Q_q(shift)
 *                            and the one-sided test at α rejects, i.e. the lower end of the
 *                            (1 − 2α) interval > 0 (the test and the interval are duals)
 *                                                                      → δ ≥ σ·Q_q(high at 1 − 2α)
 *
 * The quantiles come from a seeded simulation of the real `pairedShift` (exact Walsh-average
 * intervals); normal theory is 10% too optimistic at 12 trials (measured: the 95th percentile of
 * the upper end is 4.03·s, not (1.96 + 1.645)·s). Beyond SIMULATED_MAX_TRIALS normal theory is
 * used, where the two agree.
 */
import { createSeededRandom } from './random.js';
import { normalQuantile } from './normal.js';
import { MANN_WHITNEY_ARE } from './power.js';
import { pairedShift } from './signed-rank.js';

export interface MarginInput {
  /** Per-side trial noise: σ of log values (≈ coefficient of variation); paired σ_d / √2. */
  readonly sigmaLog: number;
  readonly trialsPerSide: number;
  /** Two-sided level of the gate's interval (0.95). */
  readonly confidenceLevel: number;
  /** One-sided level a regression's test must reach: the first look's α over the Holm family. */
  readonly alphaOneSided: number;
  /** Share of unchanged runs that must be decided `pass`; default 0.95. */
  readonly passProbability?: number;
  /** Share of runs that must catch the reported change; default 0.95. */
  readonly detectProbability?: number;
  /** Margins are rounded up to a multiple of this fraction; default 0.005 (half a percent). */
  readonly stepFraction?: number;
  /** No margin below this fraction; default 0.01. */
  readonly minimumFraction?: number;
}

export interface MarginProposal {
  /** The margin to use, rounded up to the step: 0.02 allows +2% (lower-is-better). */
  readonly marginFraction: number;
  /** Before rounding and the minimum. */
  readonly exactMarginFraction: number;
  /** The smallest worsening caught in `detectProbability` of runs with this margin (fraction); Infinity if none can be. */
  readonly caughtFraction: number;
}

export const SIMULATED_MAX_TRIALS = 40;
const SIMULATION_RUNS = 4000;
const SIMULATION_SEED = 20261204;

export function proposeMargin(input: MarginInput): MarginProposal {
  const { sigmaLog, trialsPerSide, confidenceLevel, alphaOneSided } = input;
  const passProbability = input.passProbability ?? 0.95;
  const detectProbability = input.detectProbability ?? 0.95;
  const step = input.stepFraction ?? 0.005;
  const minimum = input.minimumFraction ?? 0.01;
  if (!(sigmaLog >= 0 && Number.isFinite(sigmaLog))) throw new RangeError(`sigmaLog must be a finite number ≥ 0, got ${sigmaLog}`);
  if (!(Number.isInteger(trialsPerSide) && trialsPerSide >= 2))
    throw new RangeError(`trialsPerSide must be an integer ≥ 2, got ${trialsPerSide}`);
  for (const [name, p] of Object.entries({ confidenceLevel, alphaOneSided, passProbability, detectProbability })) {
    if (!(p > 0 && p < 1)) throw new RangeError(`${name} must be in (0, 1), got ${p}`);
  }
  if (!(step > 0 && minimum > 0)) throw new RangeError('stepFraction and minimumFraction must be > 0');

  const q = nullQuantiles(trialsPerSide, confidenceLevel, alphaOneSided, passProbability, detectProbability);
  const exactMarginFraction = Math.expm1(sigmaLog * q.passHigh);
  // Snapped to a fine grid first so that an exact 0.02 stays 0.02, not 0.025 by float error.
  const steps = Math.ceil(Math.round((exactMarginFraction / step) * 1e6) / 1e6);
  const marginFraction = Math.max(minimum, steps * step);
  const caughtLog = Math.max(Math.log1p(marginFraction) + sigmaLog * q.detectShift, sigmaLog * q.detectSignificant);
  return { marginFraction, exactMarginFraction, caughtFraction: Math.expm1(caughtLog) };
}

interface NullQuantiles {
  /** Quantile (pass probability) of the interval's upper end, per unit σ. */
  passHigh: number;
  /** Quantile (detect probability) of the estimate. */
  detectShift: number;
  /** Quantile (detect probability) of the upper end of the (1 − 2α) interval; Infinity when n cannot reach α. */
  detectSignificant: number;
}

const cache = new Map<string, NullQuantiles>();

function nullQuantiles(n: number, confidenceLevel: number, alpha: number, pass: number, detect: number): NullQuantiles {
  const key = [n, confidenceLevel, alpha, pass, detect].join('/');
  const cached = cache.get(key);
  if (cached) return cached;
  let result: NullQuantiles;
  if (n > SIMULATED_MAX_TRIALS) {
    const s = Math.sqrt(2 / (n * MANN_WHITNEY_ARE));
    result = {
      passHigh: (normalQuantile((1 + confidenceLevel) / 2) + normalQuantile(pass)) * s,
      detectShift: normalQuantile(detect) * s,
      detectSignificant: (normalQuantile(1 - alpha) + normalQuantile(detect)) * s,
    };
  } else {
    const random = createSeededRandom(SIMULATION_SEED);
    const highs: number[] = [];
    const shifts: number[] = [];
    const strictHighs: number[] = [];
    for (let run = 0; run < SIMULATION_RUNS; run++) {
      // Per-side σ = 1: a difference of two sides has variance 2.
      const differences = Array.from({ length: n }, () => Math.SQRT2 * random.normal());
      const interval = pairedShift(differences, { confidenceLevel });
      highs.push(interval.high);
      shifts.push(interval.shift);
      strictHighs.push(pairedShift(differences, { confidenceLevel: 1 - 2 * alpha }).high);
    }
    result = { passHigh: quantile(highs, pass), detectShift: quantile(shifts, detect), detectSignificant: quantile(strictHighs, detect) };
  }
  cache.set(key, result);
  return result;
}

function quantile(values: number[], p: number): number {
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.ceil(p * values.length) - 1)] as number;
}
