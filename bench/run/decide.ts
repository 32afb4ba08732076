import { mergeConfirmation, poolRerun, scenariosToConfirm } from '../../ci/gate/confirm.js';
import { evaluateGate, summarise } from '../../ci/gate/evaluate.js';
import type { GateMode, GateReport, ScenarioPair } from '../../ci/gate/types.js';
import { DEFAULT_ALPHA } from '../../ci/stats/index.js';

export interface DecideInput {
  mode: GateMode;
  /** How the report names the reference, e.g. "git ref main (1a2b3c4d5e6f)". */
  reference: string;
  referenceCommit: string | null;
  pairs: ScenarioPair[];
  /** Why latency is not comparable with committed baselines from another machine; null when it is. */
  machineNote: string | null;
  /** Re-measures the named scenarios (both sides where there are two); null: nothing can be re-run. */
  rerun: ((scenarios: string[]) => Promise<ScenarioPair[]>) | null;
  confirm: boolean;
  signal: AbortSignal;
  log: (line: string) => void;
}

/** Evaluates the pairs, re-runs suspected regressions once (trials pooled), and assembles the report. */
export async function decideGate(input: DecideInput): Promise<GateReport> {
  let evaluation = evaluateGate(input.pairs, { alpha: DEFAULT_ALPHA });
  const suspects = scenariosToConfirm(evaluation.metrics);
  const confirmed: string[] = [];
  if (input.rerun && input.confirm && suspects.length > 0 && !input.signal.aborted) {
    input.log(`suspected regression in ${suspects.join(', ')}: re-running to confirm`);
    const again = await input.rerun(suspects);
    const pooled = evaluateGate(poolRerun(input.pairs, again, { baselineRerun: input.mode !== 'baseline' }), { alpha: DEFAULT_ALPHA });
    const metrics = mergeConfirmation(evaluation.metrics, pooled.metrics);
    evaluation = { ...evaluation, metrics, summary: summarise(metrics, evaluation.correctness) };
    confirmed.push(...suspects);
  }
  // Partial results: say so rather than "passed" (the exit code is 130 whatever was decided).
  if (input.signal.aborted) evaluation = { ...evaluation, summary: { ...evaluation.summary, outcome: 'interrupted' } };
  return {
    mode: input.mode,
    reference: input.reference,
    referenceCommit: input.referenceCommit,
    machineMatches: input.machineNote === null,
    machineNote: input.machineNote,
    alpha: DEFAULT_ALPHA,
    ...evaluation,
    confirmedByRerun: confirmed,
  };
}
