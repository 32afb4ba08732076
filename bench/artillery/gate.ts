import type { BaselineFile } from '../../ci/baseline/store.js';
import type { EnvironmentFingerprint } from '../../ci/gate/machine.js';
import type { ScenarioPair } from '../../ci/gate/types.js';
import { gateRules, pairFromBaseline, sideFromOutcome } from '../results/gate-inputs.js';
import type { ScenarioOutcome } from '../results/results.js';
import { ARTILLERY_METRICS } from './import.js';

/**
 * The gate's inputs for imported Artillery runs (pure). The periods of two reports were not run
 * side by side, so they are two independent samples (`design: 'independent'`, Mann–Whitney), as
 * committed baselines are; rules on metrics an Artillery report cannot yield are dropped (the
 * import lists them).
 */

/** Why latency from Artillery is never compared with committed baselines (which our generator measured). */
export const BASELINE_LATENCY_NOTE =
  "the baselines hold our generator's latency (from the intended send time, microsecond histograms); Artillery measures " +
  'to the first byte in whole milliseconds on other machines: latency is not comparable, answers are (use --against-report to gate latency against another Artillery run)';

export function pairAgainstReport(reference: ScenarioOutcome, current: ScenarioOutcome): ScenarioPair {
  return {
    scenario: current.name,
    design: 'independent',
    gate: availableRules(current),
    baseline: { ...sideFromOutcome(reference), trialIndices: null },
    current: { ...sideFromOutcome(current), trialIndices: null },
    // Both reports are imported for the one --scenario: they measured the same definition.
    incomparable: null,
    correctnessIncomparable: null,
  };
}

export function pairAgainstBaseline(baseline: BaselineFile | null, current: ScenarioOutcome, here: EnvironmentFingerprint): ScenarioPair {
  const pair = pairFromBaseline(baseline, current, here);
  // A changed scenario keeps its own note; otherwise latency is not comparable by construction.
  const incomparable = pair.correctnessIncomparable ?? (baseline === null ? null : BASELINE_LATENCY_NOTE);
  return { ...pair, gate: availableRules(current), incomparable };
}

function availableRules(current: ScenarioOutcome): ScenarioPair['gate'] {
  return gateRules(current.spec).filter((rule) => ARTILLERY_METRICS.has(rule.metric));
}
