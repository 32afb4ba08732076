import { median } from 'simple-statistics';
import { compareMetric, comparePairedMetric, decideVerdicts, type MetricComparison, type MetricVerdict } from '../stats/index.js';
import type { CorrectnessGateResult, GateReport, GateRule, GateSummary, MetricGateResult, ScenarioPair, VariantAnswers } from './types.js';

export interface EvaluateOptions {
  alpha: number;
}

/**
 * The gate's decision for a run (pure): every relative rule of every scenario goes through the
 * Mann–Whitney / Hodges–Lehmann comparison and one Holm family; absolute rules (error ratio)
 * compare means directly; answers are compared exactly.
 */
export function evaluateGate(
  pairs: readonly ScenarioPair[],
  options: EvaluateOptions,
): Pick<GateReport, 'metrics' | 'correctness' | 'summary'> {
  const metrics: MetricGateResult[] = [];
  const tested: Array<{ index: number; comparison: MetricComparison }> = [];

  for (const pair of pairs) {
    for (const rule of pair.gate) {
      const baselineValues = pair.baseline?.trials.map((t) => t[rule.metric]) ?? [];
      const currentValues = pair.current.trials.map((t) => t[rule.metric]);
      const result: MetricGateResult = {
        scenario: pair.scenario,
        metric: rule.metric,
        unit: rule.unit,
        direction: rule.direction,
        allowed: rule.allowed.source,
        baselineValue: null,
        currentValue: null,
        changePercent: null,
        intervalPercent: null,
        verdict: 'skipped',
        pWorseAdjusted: null,
        trialsNeededPerSide: null,
        baselineTrials: baselineValues.length,
        currentTrials: currentValues.length,
        note: null,
      };
      metrics.push(result);
      const skip = skipReason(pair, rule, baselineValues, currentValues);
      if (skip !== null) {
        result.note = skip;
        if (!pair.current.usable || (pair.baseline && !pair.baseline.usable)) result.verdict = 'invalid';
        continue;
      }
      const baseline = baselineValues as number[];
      const current = currentValues as number[];
      if (rule.deterministic === true) {
        Object.assign(result, compareCounts(rule, baseline, current));
        continue;
      }
      if (rule.allowed.kind === 'absolute') {
        const baselineMean = mean(baseline);
        const currentMean = mean(current);
        const worsening = rule.direction === 'lower-is-better' ? currentMean - baselineMean : baselineMean - currentMean;
        Object.assign(result, {
          baselineValue: baselineMean,
          currentValue: currentMean,
          verdict: worsening > rule.allowed.amount ? 'regression' : worsening < -rule.allowed.amount ? 'improvement' : 'pass',
          note: `absolute rule: mean changed by ${formatSigned(currentMean - baselineMean)} (allowed ${rule.allowed.source})`,
        });
        continue;
      }
      const input = { allowedRegression: rule.allowed.fraction, direction: rule.direction };
      const paired = pair.design === 'paired' ? pairedValues(pair, rule.metric) : null;
      if (paired) {
        result.baselineTrials = paired.baseline.length;
        result.currentTrials = paired.current.length;
      }
      tested.push({
        index: metrics.length - 1,
        comparison: paired ? comparePairedMetric({ ...input, ...paired }) : compareMetric({ ...input, baseline, current }),
      });
    }
  }

  const verdicts = decideVerdicts(
    tested.map((t) => t.comparison),
    options.alpha,
  );
  tested.forEach(({ index, comparison }, i) => applyVerdict(metrics[index] as MetricGateResult, comparison, verdicts[i] as MetricVerdict));

  const correctness = pairs.flatMap(correctnessResults);
  for (const result of correctness) {
    if (result.status !== 'changed') continue;
    result.fasterButWrong = metrics.some((m) => m.scenario === result.scenario && m.verdict === 'improvement');
  }
  return { metrics, correctness, summary: summarise(metrics, correctness) };
}

/** The metric's values of trials both sides have (by trial number), in the same order; null without indices. */
export function pairedValues(pair: ScenarioPair, metric: string): { baseline: number[]; current: number[] } | null {
  const baseline = pair.baseline;
  if (!baseline?.trialIndices || !pair.current.trialIndices) return null;
  const byIndex = new Map<number, number>();
  baseline.trialIndices.forEach((index, i) => {
    const value = baseline.trials[i]?.[metric];
    if (value !== undefined) byIndex.set(index, value);
  });
  const values = { baseline: [] as number[], current: [] as number[] };
  pair.current.trialIndices.forEach((index, i) => {
    const b = byIndex.get(index);
    const c = pair.current.trials[i]?.[metric];
    if (b === undefined || c === undefined) return;
    values.baseline.push(b);
    values.current.push(c);
  });
  return values;
}

function skipReason(
  pair: ScenarioPair,
  rule: GateRule,
  baseline: ReadonlyArray<number | undefined>,
  current: ReadonlyArray<number | undefined>,
): string | null {
  const { metric } = rule;
  if (!pair.current.usable) return 'the current run was not valid';
  if (!pair.baseline) return 'no baseline for this scenario';
  if (!pair.baseline.usable) return 'the baseline run was not valid';
  const incomparable = rule.deterministic === true && pair.countsIncomparable !== undefined ? pair.countsIncomparable : pair.incomparable;
  if (incomparable) return incomparable;
  if (baseline.length === 0 || current.length === 0) return 'no valid trials on one side';
  if (baseline.some((v) => v === undefined)) return `the baseline has no ${metric} values`;
  if (current.some((v) => v === undefined)) return `the current run has no ${metric} values`;
  return null;
}

/**
 * A deterministic count, median against median: the same code counts the same instructions run
 * after run (within 0.02% measured), so any change beyond the allowed one is the code's, and no
 * test or interval is needed. Trials whose counts disagree by more than the allowed change are
 * not deterministic after all: invalid, never a guess.
 */
export function compareCounts(
  rule: GateRule,
  baseline: readonly number[],
  current: readonly number[],
): Pick<MetricGateResult, 'baselineValue' | 'currentValue' | 'changePercent' | 'verdict' | 'note'> {
  const baselineValue = median(baseline);
  const currentValue = median(current);
  const spread = Math.max(relativeSpread(baseline), relativeSpread(current));
  const allowed = rule.allowed.kind === 'relative' ? rule.allowed.fraction : rule.allowed.amount / Math.max(baselineValue, 1e-12);
  if (!(baselineValue > 0) || !(currentValue > 0)) {
    return { baselineValue, currentValue, changePercent: null, verdict: 'invalid', note: 'a count of zero cannot be compared' };
  }
  const change = currentValue / baselineValue - 1;
  if (spread > allowed / 2) {
    return {
      baselineValue,
      currentValue,
      changePercent: change * 100,
      verdict: 'invalid',
      note: `counts within one side differ by ${(spread * 100).toFixed(3)}%, more than half the allowed change: not deterministic here`,
    };
  }
  const worse = rule.direction === 'lower-is-better' ? change : -change;
  // A change of exactly the allowance passes: 1010 / 1000 − 1 is 0.010000000000000009 in floating point.
  const tolerance = 1e-12;
  const verdict = worse > allowed + tolerance ? 'regression' : worse < -allowed - tolerance ? 'improvement' : 'pass';
  return {
    baselineValue,
    currentValue,
    changePercent: change * 100,
    verdict,
    note: `deterministic count, compared directly (allowed ${rule.allowed.source}; spread within a side ${(spread * 100).toFixed(3)}%)`,
  };
}

/** (max − min) / median; 0 for one value. */
function relativeSpread(values: readonly number[]): number {
  const m = median(values);
  return m === 0 ? 0 : (Math.max(...values) - Math.min(...values)) / m;
}

function applyVerdict(result: MetricGateResult, comparison: MetricComparison, verdict: MetricVerdict): void {
  if (comparison.status === 'error' || verdict.verdict === 'invalid') {
    result.verdict = 'invalid';
    result.note = comparison.status === 'error' ? comparison.reason : (verdict as { reason: string }).reason;
    return;
  }
  const percent = (ratio: number) => (Number.isFinite(ratio) && ratio > 0 ? (ratio - 1) * 100 : null);
  result.baselineValue = comparison.baselineMedian;
  result.currentValue = comparison.currentMedian;
  result.changePercent = percent(comparison.ratio);
  result.intervalPercent = {
    low: percent(comparison.ratioInterval.low),
    high: percent(comparison.ratioInterval.high),
    confidence: comparison.ratioInterval.confidenceLevel,
  };
  result.verdict = verdict.verdict;
  result.pWorseAdjusted = verdict.pWorseAdjusted;
  result.trialsNeededPerSide = verdict.verdict === 'inconclusive' ? verdict.trialsNeededPerSide : null;
}

function correctnessResults(pair: ScenarioPair): CorrectnessGateResult[] {
  const results: CorrectnessGateResult[] = [];
  const facts = (v: VariantAnswers | undefined) =>
    v ? { checksum: v.checksum, payloadDigest: v.payloadDigest, status: v.status, digest: v.digest } : null;
  const baselineByName = new Map((pair.baseline?.correctness ?? []).map((v) => [v.name, v]));
  const currentByName = new Map(pair.current.correctness.map((v) => [v.name, v]));
  for (const name of new Set([...currentByName.keys(), ...baselineByName.keys()])) {
    const baseline = baselineByName.get(name);
    const current = currentByName.get(name);
    let status: CorrectnessGateResult['status'];
    if (current && !current.consistent) status = 'inconsistent';
    else if (!pair.baseline) status = 'skipped';
    else if (pair.correctnessIncomparable) status = 'skipped';
    else if (!current) status = 'missing';
    else if (!baseline) status = 'added';
    else if (!baseline.consistent) status = 'skipped';
    else status = sameAnswers(baseline, current) ? 'same' : 'changed';
    results.push({
      scenario: pair.scenario,
      variant: name,
      status,
      baseline: facts(baseline),
      current: facts(current),
      fasterButWrong: false,
    });
  }
  return results;
}

/** Every recorded answer equal: the lab's checksum and payload digest, a service's status and body digest. */
export function sameAnswers(a: VariantAnswers, b: VariantAnswers): boolean {
  return a.checksum === b.checksum && a.payloadDigest === b.payloadDigest && a.status === b.status && a.digest === b.digest;
}

export function summarise(metrics: readonly MetricGateResult[], correctness: readonly CorrectnessGateResult[]): GateSummary {
  const count = (verdict: MetricGateResult['verdict']) => metrics.filter((m) => m.verdict === verdict).length;
  const correctnessFailures = correctness.filter(
    (c) => c.status === 'changed' || c.status === 'inconsistent' || c.status === 'missing',
  ).length;
  const regressions = count('regression');
  const invalid = count('invalid');
  return {
    outcome:
      correctnessFailures > 0 ? 'correctness-regression' : invalid > 0 ? 'incomplete' : regressions > 0 ? 'performance-regression' : 'pass',
    regressions,
    improvements: count('improvement'),
    inconclusive: count('inconclusive'),
    invalid,
    skipped: count('skipped'),
    passed: count('pass'),
    correctnessFailures,
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function formatSigned(value: number): string {
  return `${value >= 0 ? '+' : ''}${Number(value.toPrecision(3))}`;
}
