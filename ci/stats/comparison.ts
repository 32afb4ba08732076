/**
 * One (scenario, metric) comparison: baseline trials against current trials.
 *
 * Everything here is per comparison and independent of the rest of the run; the multiplicity
 * correction and the verdict need the whole family and live in `verdict.ts`.
 */
import { median, sampleVariance } from 'simple-statistics';
import { DEFAULT_ALPHA } from './defaults.js';
import { hodgesLehmannShift } from './hodges-lehmann.js';
import { mannWhitney, type TestMethod } from './mann-whitney.js';
import { MAD_TO_SIGMA, planningSigmaLog } from './noise.js';
import { pairedShift, signedRankTest } from './signed-rank.js';
import { trialValuesProblem } from './trials.js';

/** Latencies and error ratios are lower-is-better; throughput is higher-is-better. */
export const DIRECTIONS = ['lower-is-better', 'higher-is-better'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export interface CompareMetricInput {
  /** One value per baseline trial (e.g. that trial's client p95 in ms); positive and finite. */
  readonly baseline: readonly number[];
  /** One value per current trial, same metric and unit as `baseline`. */
  readonly current: readonly number[];
  /**
   * Largest tolerated worsening as a fraction in (0, 1): 0.05 tolerates +5% for a
   * lower-is-better metric and −5% for a higher-is-better one.
   */
  readonly allowedRegression: number;
  readonly direction: Direction;
  /** Two-sided level of the reported interval; default 1 − DEFAULT_ALPHA (0.95). */
  readonly confidenceLevel?: number;
}

/** A confidence interval for current / baseline. */
export interface RatioInterval {
  /** 0 when the trials are too few to bound it at this level. */
  readonly low: number;
  /** Infinity when the trials are too few to bound it at this level. */
  readonly high: number;
  /** Requested two-sided level, e.g. 0.95. */
  readonly confidenceLevel: number;
  /** Coverage actually achieved: exact intervals move in discrete steps, so this is ≥ the request. */
  readonly achievedConfidence: number;
}

export interface MetricComparisonOk {
  readonly status: 'ok';
  readonly direction: Direction;
  readonly allowedRegression: number;
  readonly baselineTrials: number;
  readonly currentTrials: number;
  /** Median of the baseline trial values, in the metric's unit. */
  readonly baselineMedian: number;
  /** Median of the current trial values, in the metric's unit. */
  readonly currentMedian: number;
  /**
   * Estimated current / baseline: exp of the Hodges–Lehmann shift of the log values (for
   * constant values, their plain quotient). 1.10 means current is typically 10% higher.
   */
  readonly ratio: number;
  readonly ratioInterval: RatioInterval;
  /** A ratio strictly beyond this is worse than allowed: 1 + allowed (lower-is-better) or 1 − allowed. */
  readonly regressionRatio: number;
  /** A ratio strictly beyond this is better than the margin: 1 − allowed (lower-is-better) or 1 + allowed. */
  readonly improvementRatio: number;
  /** Unadjusted one-sided Mann–Whitney p-value against "current is worse than baseline". */
  readonly pWorse: number;
  /** Unadjusted one-sided Mann–Whitney p-value against "current is better than baseline". */
  readonly pBetter: number;
  /**
   * The rank statistic of the current side: Mann–Whitney U (pairs of trials where current >
   * baseline, ties ½) for independent samples, Wilcoxon's W+ for paired ones.
   */
  readonly uCurrent: number;
  readonly method: TestMethod;
  /**
   * `independent`: the sides' trials compared as two samples (Mann–Whitney, Hodges–Lehmann).
   * `paired`: trial k of each side ran next to each other, so their log ratios are compared
   * (Wilcoxon signed-rank, Walsh averages), which cancels what a pair shares.
   */
  readonly design: 'independent' | 'paired';
  /** Trial-to-trial σ of the log values (≈ coefficient of variation), see `planningSigmaLog`. */
  readonly noiseSigmaLog: number;
  /** Each side has ≥ 2 trials, all with one value: the verdict compares the two values directly. */
  readonly constantValues: boolean;
}

export interface MetricComparisonError {
  readonly status: 'error';
  /** One line naming the field, what was expected and what was found. */
  readonly reason: string;
}

export type MetricComparison = MetricComparisonOk | MetricComparisonError;

export function compareMetric(input: CompareMetricInput): MetricComparison {
  const problem = inputProblem(input);
  if (problem !== null) return { status: 'error', reason: problem };
  const { baseline, current, allowedRegression, direction } = input;
  const confidenceLevel = input.confidenceLevel ?? 1 - DEFAULT_ALPHA;
  const logBaseline = baseline.map(Math.log);
  const logCurrent = current.map(Math.log);

  // Ranks are taken on the raw values: log is monotone, and this avoids rounding merging
  // two distinct close values into a tie.
  const test = mannWhitney(baseline, current);
  const shift = hodgesLehmannShift(logBaseline, logCurrent, { confidenceLevel });
  const lowerIsBetter = direction === 'lower-is-better';
  const constantValues = baseline.length >= 2 && current.length >= 2 && isConstant(baseline) && isConstant(current);

  return {
    status: 'ok',
    direction,
    allowedRegression,
    baselineTrials: baseline.length,
    currentTrials: current.length,
    baselineMedian: median(baseline),
    currentMedian: median(current),
    ratio: constantValues ? (current[0] ?? Number.NaN) / (baseline[0] ?? Number.NaN) : Math.exp(shift.shift),
    ratioInterval: {
      low: Math.exp(shift.low),
      high: Math.exp(shift.high),
      confidenceLevel,
      achievedConfidence: shift.achievedConfidence,
    },
    regressionRatio: lowerIsBetter ? 1 + allowedRegression : 1 - allowedRegression,
    improvementRatio: lowerIsBetter ? 1 - allowedRegression : 1 + allowedRegression,
    pWorse: lowerIsBetter ? test.pCurrentLarger : test.pCurrentSmaller,
    pBetter: lowerIsBetter ? test.pCurrentSmaller : test.pCurrentLarger,
    uCurrent: test.uCurrent,
    method: test.method,
    design: 'independent',
    noiseSigmaLog: planningSigmaLog(logBaseline, logCurrent),
    constantValues,
  };
}

/**
 * The same comparison for paired trials: `baseline[k]` and `current[k]` ran next to each other.
 * On log values, so the shift is a log ratio as in `compareMetric`. The noise reported is the
 * spread of the paired differences over √2, the per-side σ that the two-sample planning formulas
 * expect, so trial counts planned from it are those a paired design needs.
 */
export function comparePairedMetric(input: CompareMetricInput): MetricComparison {
  const problem = inputProblem(input);
  if (problem !== null) return { status: 'error', reason: problem };
  const { baseline, current, allowedRegression, direction } = input;
  if (baseline.length !== current.length) {
    return {
      status: 'error',
      reason: `paired trials: expected as many baseline as current values, got ${baseline.length} and ${current.length}`,
    };
  }
  const confidenceLevel = input.confidenceLevel ?? 1 - DEFAULT_ALPHA;
  const differences = current.map((value, k) => Math.log(value) - Math.log(baseline[k] as number));
  const test = signedRankTest(differences);
  const shift = pairedShift(differences, { confidenceLevel });
  const lowerIsBetter = direction === 'lower-is-better';
  const constantValues = differences.length >= 2 && isConstant(differences);
  return {
    status: 'ok',
    direction,
    allowedRegression,
    baselineTrials: baseline.length,
    currentTrials: current.length,
    baselineMedian: median(baseline),
    currentMedian: median(current),
    ratio: Math.exp(constantValues ? (differences[0] as number) : shift.shift),
    ratioInterval: { low: Math.exp(shift.low), high: Math.exp(shift.high), confidenceLevel, achievedConfidence: shift.achievedConfidence },
    regressionRatio: lowerIsBetter ? 1 + allowedRegression : 1 - allowedRegression,
    improvementRatio: lowerIsBetter ? 1 - allowedRegression : 1 + allowedRegression,
    pWorse: lowerIsBetter ? test.pGreater : test.pLess,
    pBetter: lowerIsBetter ? test.pLess : test.pGreater,
    uCurrent: test.wPlus,
    method: test.method,
    design: 'paired',
    noiseSigmaLog: pairedPlanningSigma(differences),
    constantValues,
  };
}

/** Robust spread of paired log differences, as a per-side σ (÷ √2); falls back like `planningSigmaLog`. */
function pairedPlanningSigma(differences: readonly number[]): number {
  const centred = differences.map((d) => d - median(differences));
  const robust = differences.length >= 2 ? MAD_TO_SIGMA * median(centred.map(Math.abs)) : 0;
  if (robust > 0) return robust / Math.SQRT2;
  if (differences.length >= 2) return Math.sqrt(sampleVariance([...differences])) / Math.SQRT2;
  return Math.abs(differences[0] ?? 0) / Math.SQRT2;
}

function inputProblem(input: CompareMetricInput): string | null {
  const { allowedRegression, direction, confidenceLevel } = input;
  if (direction !== 'lower-is-better' && direction !== 'higher-is-better') {
    return `direction: expected "lower-is-better" or "higher-is-better", got ${JSON.stringify(direction)}`;
  }
  if (typeof allowedRegression !== 'number' || !(allowedRegression > 0 && allowedRegression < 1)) {
    return `allowedRegression: expected a fraction in (0, 1) such as 0.05, got ${String(allowedRegression)}`;
  }
  if (confidenceLevel !== undefined && !(confidenceLevel > 0 && confidenceLevel < 1)) {
    return `confidenceLevel: expected a number in (0, 1) such as 0.95, got ${String(confidenceLevel)}`;
  }
  return trialValuesProblem('baseline', input.baseline) ?? trialValuesProblem('current', input.current);
}

function isConstant(values: readonly number[]): boolean {
  return values.every((value) => value === values[0]);
}
