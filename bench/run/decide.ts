import { poolRerun } from '../../ci/gate/confirm.js';
import { evaluateGate, summarise } from '../../ci/gate/evaluate.js';
import type { GateMode, GateReport, MetricGateResult, ScenarioPair } from '../../ci/gate/types.js';
import { DEFAULT_ALPHA, lookLevels } from '../../ci/stats/index.js';

export interface DecideInput {
  mode: GateMode;
  /** How the report names the reference, e.g. "git ref main (1a2b3c4d5e6f)". */
  reference: string;
  referenceCommit: string | null;
  pairs: ScenarioPair[];
  /** Why latency is not comparable with committed baselines from another machine; null when it is. */
  machineNote: string | null;
  /**
   * Adds trials to the named scenarios (both sides where there are two, trial numbers continuing)
   * and returns their new pairs; null when nothing can be extended.
   */
  extend: ((scenarios: string[]) => Promise<ScenarioPair[]>) | null;
  /** Looks at most (1: decide on the first trials). */
  maxLooks: number;
  /** Whether a scenario can get more trials (load scenarios can; micro scenarios are judged once). Default: all. */
  extendable?: (scenario: string) => boolean;
  /** Whether adding trials to these scenarios still fits the time budget. */
  fits: (scenarios: readonly string[]) => boolean;
  signal: AbortSignal;
  log: (line: string) => void;
}

const key = (m: MetricGateResult) => `${m.scenario}\u0000${m.metric}`;

/**
 * The gate over looks (ci/stats/sequential.ts): the first trials at α/2; while a metric is still
 * `inconclusive`, its scenario gets more trials (within the budget) and the whole family is judged
 * again on the pooled trials at the next look's level. A verdict once reached is kept, so the
 * chance of any false regression over all looks stays within α.
 */
export async function decideGate(input: DecideInput): Promise<GateReport> {
  const looks = input.extend ? Math.max(1, input.maxLooks) : 1;
  const levels = lookLevels(looks, DEFAULT_ALPHA);
  let pairs = input.pairs;
  let evaluation = evaluateGate(pairs, { alpha: levels[0] as number });
  let metrics = evaluation.metrics;
  const history: GateReport['looks'] = [{ alpha: levels[0] as number, scenarios: [...new Set(pairs.map((p) => p.scenario))] }];

  for (let look = 2; look <= looks; look++) {
    const open = [...new Set(metrics.filter((m) => m.verdict === 'inconclusive').map((m) => m.scenario))].filter(
      (scenario) => input.extendable?.(scenario) ?? true,
    );
    if (open.length === 0 || input.signal.aborted || !input.extend) break;
    if (!input.fits(open)) {
      input.log(`undecided in ${open.join(', ')}, but more trials would not fit the time budget (--budget-seconds)`);
      break;
    }
    input.log(`look ${look} of ${looks}: more trials for ${open.join(', ')} (undecided metrics)`);
    const again = await input.extend(open);
    if (input.signal.aborted) break;
    pairs = poolRerun(pairs, again, { baselineRerun: input.mode !== 'baseline' });
    const alpha = levels[look - 1] as number;
    evaluation = evaluateGate(pairs, { alpha });
    const now = new Map(evaluation.metrics.map((m) => [key(m), m]));
    metrics = metrics.map((before) => {
      if (before.verdict !== 'inconclusive') return before;
      const after = now.get(key(before)) ?? before;
      return after.verdict === 'inconclusive' ? after : { ...after, note: joinNotes(after.note, decidedNote(look, levels, after)) };
    });
    history.push({ alpha, scenarios: open });
  }

  let summary = summarise(metrics, evaluation.correctness);
  // Partial results: say so rather than "passed" (the exit code is 130 whatever was decided).
  if (input.signal.aborted) summary = { ...summary, outcome: 'interrupted' };
  return {
    mode: input.mode,
    reference: input.reference,
    referenceCommit: input.referenceCommit,
    machineMatches: input.machineNote === null,
    machineNote: input.machineNote,
    alpha: DEFAULT_ALPHA,
    metrics,
    correctness: evaluation.correctness,
    looks: history,
    confirmedByRerun: [],
    summary,
  };
}

/** Said of a metric decided after the first look (tested ones only: absolute rules need no more trials). */
function decidedNote(look: number, levels: readonly number[], m: MetricGateResult): string | null {
  if (m.pWorseAdjusted === null) return null;
  return `decided at look ${look} of ${levels.length} (α ${formatAlpha(levels[look - 1] as number)}, ${m.currentTrials} trials)`;
}

function formatAlpha(alpha: number): string {
  return String(Number(alpha.toPrecision(3)));
}

function joinNotes(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  return b === null ? a : `${a}; ${b}`;
}
