import type { MetricGateResult } from './types.js';

/** Scenarios with a suspected regression: the ones to re-run before failing. */
export function scenariosToConfirm(metrics: readonly MetricGateResult[]): string[] {
  return [...new Set(metrics.filter((m) => m.verdict === 'regression').map((m) => m.scenario))];
}

/**
 * Combines a first run with the re-run of its suspect scenarios: a regression stands only when
 * both runs flag it. Re-run scenarios take the re-run's numbers; the rest keep the first run's.
 */
export function mergeConfirmation(first: readonly MetricGateResult[], rerun: readonly MetricGateResult[]): MetricGateResult[] {
  const rerunByKey = new Map(rerun.map((m) => [`${m.scenario}\u0000${m.metric}`, m]));
  return first.map((original) => {
    const again = rerunByKey.get(`${original.scenario}\u0000${original.metric}`);
    if (!again) return original;
    if (original.verdict === 'regression' && again.verdict === 'regression') {
      return { ...again, note: joinNotes(again.note, 'confirmed on re-run') };
    }
    if (original.verdict === 'regression') {
      return { ...again, note: joinNotes(again.note, `suspected regression (${formatChange(original)}) not confirmed on re-run`) };
    }
    if (again.verdict === 'regression') {
      return { ...again, verdict: 'inconclusive', note: joinNotes(again.note, 'regression on the re-run only, not in the first run: not confirmed') };
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
