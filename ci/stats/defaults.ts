/**
 * Defaults of the regression gate's statistics, in one place.
 */

/** Family-wise error rate for the whole run: chance of any false `regression` (Holm-controlled). */
export const DEFAULT_ALPHA = 0.05;

/**
 * Trials per side: the smallest count that meets the gate's targets in simulation — a +10%
 * shift flagged `regression` in ≥ 95% of runs, a false `regression` in ≤ 5% of A/A runs — with
 * σ_log = 0.05 per trial, 5% of trials ×1.3 (noisy neighbour), 20 comparisons per run and an
 * allowed regression of 5%. 20 trials: 96.2% detection (10 000 runs); 19 trials: 94.7% (20 000
 * runs); 10 trials: 60%. See `simulation.ts` and test/stats.simulation.test.ts.
 */
export const DEFAULT_TRIALS = 20;
