/**
 * The regression gate's statistics: pure functions, no I/O.
 *
 *   compareMetric(input) → MetricComparison      per (scenario, metric)
 *   decideVerdicts(comparisons, alpha) → MetricVerdict[]   Holm across the run, then verdicts
 *   minimumDetectableRegression(input)          noise calibration from A/A data or σ
 */
export { DEFAULT_ALPHA, DEFAULT_TRIALS } from './defaults.js';
export {
  compareMetric,
  comparePairedMetric,
  DIRECTIONS,
  type CompareMetricInput,
  type Direction,
  type MetricComparison,
  type MetricComparisonError,
  type MetricComparisonOk,
  type RatioInterval,
} from './comparison.js';
export { decideVerdicts, type MetricVerdict, type Verdict, type VerdictBasis, type VerdictStatistics } from './verdict.js';
export { minimumDetectableRegression, type DetectableRegression, type DetectableRegressionInput, type NoiseSource } from './calibration.js';
export { mannWhitney, EXACT_MAX_TOTAL_TRIALS, type MannWhitneyResult, type TestMethod } from './mann-whitney.js';
export { hodgesLehmannShift, type ShiftEstimate } from './hodges-lehmann.js';
export { pairedShift, signedRankTest, type PairedShift, type SignedRankResult } from './signed-rank.js';
export {
  decideAtLook,
  isDecided,
  lookLevels,
  simulateSequentialGate,
  type SequentialSimulationOptions,
  type SequentialSimulationResult,
} from './sequential.js';
export { holmAdjust } from './holm.js';
export { normalCdf, normalQuantile, normalSurvival } from './normal.js';
export { simulateGate, type GateSimulationOptions, type GateSimulationResult } from './simulation.js';
