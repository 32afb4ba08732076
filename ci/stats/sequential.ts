/**
 * Adaptive trials with error control across looks (group-sequential testing). The gate looks at
 * the data after the first trials; where a metric is still undecided it adds trials to that
 * scenario and looks again, up to `maxLooks` times. Each look k tests the whole family with Holm
 * at its own level α_k, and a verdict once reached is kept. Since a false regression at any look
 * needs a false rejection at that look, P(any false regression) ≤ Σ α_k ≤ α (the union bound —
 * valid however the looks are correlated, so no distributional model is needed; it is
 * conservative because consecutive looks share most of their data).
 *
 * The spending gives the first look half of α, where most metrics decide, and splits the rest
 * evenly over the later looks.
 */
import { comparePairedMetric, type MetricComparison } from './comparison.js';
import { DEFAULT_ALPHA } from './defaults.js';
import { createSeededRandom } from './random.js';
import { decideVerdicts, type MetricVerdict, type Verdict } from './verdict.js';

/** α_1 … α_maxLooks: α/2 first, the other half split evenly; Σ = α. One look: α. */
export function lookLevels(maxLooks: number, alpha: number = DEFAULT_ALPHA): number[] {
  if (!Number.isInteger(maxLooks) || maxLooks < 1) throw new RangeError(`maxLooks must be an integer ≥ 1, got ${maxLooks}`);
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (maxLooks === 1) return [alpha];
  return [alpha / 2, ...Array.from({ length: maxLooks - 1 }, () => alpha / 2 / (maxLooks - 1))];
}

/** Verdicts that end a metric's testing: once reached at a look, later looks do not change them. */
export function isDecided(verdict: Verdict): boolean {
  return verdict === 'pass' || verdict === 'regression' || verdict === 'improvement';
}

/**
 * One look of the gate (pure): the whole family at this look's level, then the verdicts already
 * reached kept as they were. `previous[i]` is comparison i's verdict from earlier looks (null on
 * the first look).
 */
export function decideAtLook(
  comparisons: readonly MetricComparison[],
  previous: ReadonlyArray<MetricVerdict | null>,
  alphaAtLook: number,
): MetricVerdict[] {
  const now = decideVerdicts(comparisons, alphaAtLook);
  return now.map((verdict, i) => {
    const earlier = previous[i];
    return earlier && isDecided(earlier.verdict) ? earlier : verdict;
  });
}

export interface SequentialSimulationOptions {
  /** Trials per side at each look, e.g. [12, 18, 24]. */
  readonly trialsAtLooks: readonly number[];
  readonly runs: number;
  readonly seed: number;
  /** Comparisons per run; default 12 (the default suite's relative gate rules). */
  readonly familySize?: number;
  /** σ of a paired trial's log ratio (what is left after the pair's shared drift cancels); default 0.05. */
  readonly pairSigmaLog?: number;
  /** Chance that a trial (of either side) hits a noisy neighbour; default 0.05. */
  readonly contaminationProbability?: number;
  /** What a noisy neighbour does to that trial; default ×1.3. */
  readonly contaminationFactor?: number;
  /** True current / baseline of the one shifted comparison; default 1 (an A/A family). */
  readonly shiftRatio?: number;
  readonly allowedRegression?: number;
  readonly alpha?: number;
  /** Levels per look instead of `lookLevels` (to show what spending prevents). */
  readonly alphaAtLooks?: readonly number[];
}

export interface SequentialSimulationResult {
  readonly runs: number;
  /** Runs with a regression verdict on any unshifted comparison: the family-wise false-alarm rate. */
  readonly falseAlarmRate: number;
  /** Share of runs whose shifted comparison (index 0) ended as `regression` (when shiftRatio ≠ 1). */
  readonly detectionRate: number;
  /** Share of all unshifted comparisons that ended decided as `pass`. */
  readonly passRate: number;
  /** Mean looks a run needed (it stops when every comparison is decided). */
  readonly meanLooks: number;
}

/**
 * Monte Carlo of the sequential gate on paired trials (deterministic for a seed): each pair's log
 * ratio is normal with `pairSigmaLog`, sometimes contaminated, and the looks add trials only
 * while some comparison is undecided.
 */
export function simulateSequentialGate(options: SequentialSimulationOptions): SequentialSimulationResult {
  const {
    trialsAtLooks,
    runs,
    seed,
    familySize = 12,
    pairSigmaLog = 0.05,
    contaminationProbability = 0.05,
    contaminationFactor = 1.3,
    shiftRatio = 1,
    allowedRegression = 0.05,
    alpha = DEFAULT_ALPHA,
  } = options;
  const levels = options.alphaAtLooks ?? lookLevels(trialsAtLooks.length, alpha);
  const random = createSeededRandom(seed);
  const pair = (ratio: number) => {
    const base = 10 * Math.exp(random.normal() * 0.3); // the shared drift: cancels in the pair
    let current = base * ratio * Math.exp(pairSigmaLog * random.normal());
    // A noisy neighbour hits either side alike: under no change the differences stay symmetric.
    let baseline = base;
    if (random.uniform() < contaminationProbability) current *= contaminationFactor;
    if (random.uniform() < contaminationProbability) baseline *= contaminationFactor;
    return { base: baseline, current };
  };
  let falseAlarms = 0;
  let detected = 0;
  let passed = 0;
  let looksTotal = 0;
  for (let run = 0; run < runs; run++) {
    const data = Array.from({ length: familySize }, () => ({ baseline: [] as number[], current: [] as number[] }));
    let verdicts: Array<MetricVerdict | null> = data.map(() => null);
    for (let look = 0; look < trialsAtLooks.length; look++) {
      const target = trialsAtLooks[look] as number;
      data.forEach((series, i) => {
        while (series.baseline.length < target) {
          const p = pair(i === 0 ? shiftRatio : 1);
          series.baseline.push(p.base);
          series.current.push(p.current);
        }
      });
      const comparisons = data.map((series) => comparePairedMetric({ ...series, allowedRegression, direction: 'lower-is-better' }));
      verdicts = decideAtLook(comparisons, verdicts, levels[look] as number);
      looksTotal++;
      if (verdicts.every((v) => v !== null && isDecided(v.verdict))) break;
    }
    const unshifted = shiftRatio === 1 ? verdicts : verdicts.slice(1);
    if (unshifted.some((v) => v?.verdict === 'regression')) falseAlarms++;
    if (shiftRatio !== 1 && verdicts[0]?.verdict === 'regression') detected++;
    passed += unshifted.filter((v) => v?.verdict === 'pass').length;
  }
  const unshiftedCount = shiftRatio === 1 ? familySize : familySize - 1;
  return {
    runs,
    falseAlarmRate: falseAlarms / runs,
    detectionRate: detected / runs,
    passRate: passed / (runs * unshiftedCount),
    meanLooks: looksTotal / runs,
  };
}
