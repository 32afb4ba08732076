import type { MetricGateResult, ScenarioPair, SideData } from './types.js';

/** Scenarios with a suspected regression: the ones to re-run before failing. */
export function scenariosToConfirm(metrics: readonly MetricGateResult[]): string[] {
  return [...new Set(metrics.filter((m) => m.verdict === 'regression').map((m) => m.scenario))];
}

/**
 * The pairs to judge a re-run by: each re-run scenario's trials pooled with its first run's, the
 * other scenarios as they were. Judging pooled data (24 trials a side rather than a second,
 * independent 12) keeps the power a re-run would otherwise halve, and the false-alarm bound still
 * holds: a regression must pass the first test and the pooled one, and the pooled test alone is
 * at level α.
 */
export function poolRerun(
  first: readonly ScenarioPair[],
  rerun: readonly ScenarioPair[],
  options: { baselineRerun: boolean },
): ScenarioPair[] {
  const rerunByName = new Map(rerun.map((p) => [p.scenario, p]));
  return first.map((pair) => {
    const again = rerunByName.get(pair.scenario);
    if (!again) return pair;
    return {
      ...again,
      // A committed baseline is not re-run: the same trials would count twice.
      baseline: options.baselineRerun ? poolSides(pair.baseline, again.baseline) : pair.baseline,
      current: poolSides(pair.current, again.current) as SideData,
    };
  });
}

function poolSides(a: SideData | null, b: SideData | null): SideData | null {
  if (a === null || b === null) return b;
  // Pairing survives pooling only when both parts carry trial numbers (re-runs continue the numbering).
  const trialIndices = a.trialIndices && b.trialIndices ? [...a.trialIndices, ...b.trialIndices] : null;
  return { trials: [...a.trials, ...b.trials], trialIndices, correctness: b.correctness, usable: a.usable && b.usable };
}

/**
 * Combines the first judgement with the judgement on pooled data: a regression stands only when
 * both find it. Re-run scenarios take the pooled numbers; the rest keep the first run's.
 */
export function mergeConfirmation(first: readonly MetricGateResult[], rerun: readonly MetricGateResult[]): MetricGateResult[] {
  const rerunByKey = new Map(rerun.map((m) => [`${m.scenario}\u0000${m.metric}`, m]));
  return first.map((original) => {
    const again = rerunByKey.get(`${original.scenario}\u0000${original.metric}`);
    if (!again) return original;
    if (original.verdict === 'regression' && again.verdict === 'regression') {
      return { ...again, note: joinNotes(again.note, 'confirmed by a re-run (trials pooled)') };
    }
    if (original.verdict === 'regression') {
      return { ...again, note: joinNotes(again.note, `suspected regression (${formatChange(original)}) not confirmed by a re-run`) };
    }
    if (again.verdict === 'regression') {
      return {
        ...again,
        verdict: 'inconclusive',
        note: joinNotes(again.note, 'regression only once the re-run was pooled in: not confirmed'),
      };
    }
    return again;
  });
}

function formatChange(m: MetricGateResult): string {
  return m.changePercent === null ? 'n/a' : `${m.changePercent >= 0 ? '+' : ''}${m.changePercent.toFixed(1)}%`;
}

function joinNotes(a: string | null, b: string): string {
  return a ? `${a}; ${b}` : b;
}
