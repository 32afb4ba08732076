/**
 * Monte Carlo check of the whole gate procedure (compareMetric + decideVerdicts) on synthetic
 * trials: how often a real shift is flagged, and how often an unchanged run raises a false alarm.
 * Deterministic for a given seed.
 */
import { compareMetric, type MetricComparison } from './comparison.js';
import { DEFAULT_ALPHA } from './defaults.js';
import { createSeededRandom } from './random.js';
import { decideVerdicts, type Verdict } from './verdict.js';

export interface GateSimulationOptions {
  readonly trialsPerSide: number;
  /** Simulated runs of each kind (shifted and A/A). */
  readonly runs: number;
  readonly seed: number;
  /** Comparisons per run (scenario × metric pairs); default 20. */
  readonly familySize?: number;
  /** σ of log(trial value); default 0.05 (≈ 5% trial-to-trial variation). */
  readonly sigmaLog?: number;
  /** Chance that a trial hits a noisy neighbour; default 0.05. */
  readonly contaminationProbability?: number;
  /** What a noisy neighbour does to the trial value; default ×1.3. */
  readonly contaminationFactor?: number;
  /** True current / baseline of the one shifted comparison in shifted runs; default 1.10. */
  readonly shiftRatio?: number;
  /** Default 0.05. */
  readonly allowedRegression?: number;
  /** Default DEFAULT_ALPHA. */
  readonly alpha?: number;
}

export interface GateSimulationResult {
  readonly runs: number;
  /** Shifted runs whose shifted comparison was called `regression`. */
  readonly detected: number;
  readonly detectionRate: number;
  /** A/A runs with at least one `regression` anywhere in the family. */
  readonly falseAlarmRuns: number;
  readonly falseAlarmRate: number;
  /** Shifted runs where one of the unshifted comparisons was called `regression`. */
  readonly shiftedRunsWithFalseAlarm: number;
  /** Verdicts of the shifted comparison over all shifted runs. */
  readonly shiftedVerdicts: Readonly<Record<Verdict, number>>;
  /** Verdicts of all comparisons over all A/A runs (runs × familySize). */
  readonly aaVerdicts: Readonly<Record<Verdict, number>>;
}

const BASE_VALUE_MS = 10;

export function simulateGate(options: GateSimulationOptions): GateSimulationResult {
  const {
    trialsPerSide,
    runs,
    seed,
    familySize = 20,
    sigmaLog = 0.05,
    contaminationProbability = 0.05,
    contaminationFactor = 1.3,
    shiftRatio = 1.1,
    allowedRegression = 0.05,
    alpha = DEFAULT_ALPHA,
  } = options;
  const random = createSeededRandom(seed);
  const trials = (scale: number): number[] =>
    Array.from({ length: trialsPerSide }, () => {
      const value = BASE_VALUE_MS * scale * Math.exp(sigmaLog * random.normal());
      return random.uniform() < contaminationProbability ? value * contaminationFactor : value;
    });
  const family = (shiftedIndex: number | null): MetricComparison[] =>
    Array.from({ length: familySize }, (_, i) =>
      compareMetric({
        baseline: trials(1),
        current: trials(i === shiftedIndex ? shiftRatio : 1),
        allowedRegression,
        direction: 'lower-is-better',
      }),
    );

  const shiftedVerdicts = emptyCounts();
  const aaVerdicts = emptyCounts();
  let detected = 0;
  let shiftedRunsWithFalseAlarm = 0;
  let falseAlarmRuns = 0;
  for (let run = 0; run < runs; run++) {
    const shifted = decideVerdicts(family(0), alpha);
    const first = shifted[0]?.verdict ?? 'invalid';
    shiftedVerdicts[first]++;
    if (first === 'regression') detected++;
    if (shifted.slice(1).some((v) => v.verdict === 'regression')) shiftedRunsWithFalseAlarm++;

    const aa = decideVerdicts(family(null), alpha);
    for (const v of aa) aaVerdicts[v.verdict]++;
    if (aa.some((v) => v.verdict === 'regression')) falseAlarmRuns++;
  }
  return {
    runs,
    detected,
    detectionRate: detected / runs,
    falseAlarmRuns,
    falseAlarmRate: falseAlarmRuns / runs,
    shiftedRunsWithFalseAlarm,
    shiftedVerdicts,
    aaVerdicts,
  };
}

function emptyCounts(): Record<Verdict, number> {
  return { pass: 0, regression: 0, improvement: 0, inconclusive: 0, invalid: 0 };
}
