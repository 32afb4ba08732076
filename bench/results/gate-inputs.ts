import type { VariantCorrectness } from './correctness.js';
import { MACHINE_ID_VARIABLE, machineKey, type EnvironmentFingerprint } from './fingerprint.js';
import type { ScenarioOutcome } from './results.js';
import type { BaselineFile } from '../../ci/baseline/store.js';
import type { ScenarioPair, SideData } from '../../ci/gate/evaluate.js';

/** The gate's view of one side of a run: valid trials' metric values and the answers. */
export function sideFromOutcome(outcome: ScenarioOutcome): SideData {
  return {
    trials: outcome.trials.filter((t) => t.validity.valid).map((t) => t.metrics),
    correctness: outcome.correctness,
    usable: outcome.status === 'ok',
  };
}

export function sideFromBaseline(baseline: BaselineFile): SideData {
  return {
    trials: baseline.trials.map((t) => t.metrics),
    correctness: baseline.correctness.map((v): VariantCorrectness => ({
      name: v.variant,
      checksum: v.checksum,
      payloadDigest: v.payloadDigest,
      consistent: true,
      checksums: v.checksum === null ? {} : { [v.checksum]: 1 },
      payloadDigests: v.payloadDigest === null ? {} : { [v.payloadDigest]: 1 },
    })),
    usable: true,
  };
}

/** A/B (or A/A) on this machine, in one interleaved run: always comparable when the scenario is the same. */
export function pairFromOutcomes(reference: ScenarioOutcome, current: ScenarioOutcome): ScenarioPair {
  return {
    scenario: current.name,
    gate: current.spec.gate,
    baseline: sideFromOutcome(reference),
    current: sideFromOutcome(current),
    incomparable: null,
    correctnessIncomparable: null,
  };
}

/** Against a committed baseline: latency only if recorded on a matching machine; answers only if the scenario is unchanged. */
export function pairFromBaseline(baseline: BaselineFile | null, current: ScenarioOutcome, here: EnvironmentFingerprint): ScenarioPair {
  if (baseline === null) {
    return {
      scenario: current.name,
      gate: current.spec.gate,
      baseline: null,
      current: sideFromOutcome(current),
      incomparable: null,
      correctnessIncomparable: null,
    };
  }
  const changed =
    baseline.scenarioHash === current.hash
      ? null
      : `the scenario changed since its baseline was recorded (${baseline.scenarioHash} → ${current.hash}); re-record it with npm run baseline`;
  return {
    scenario: current.name,
    gate: current.spec.gate,
    baseline: sideFromBaseline(baseline),
    current: sideFromOutcome(current),
    incomparable: changed ?? machineMismatch(baseline.environment, here),
    correctnessIncomparable: changed,
  };
}

/** Null when latency recorded on `then` can be compared with latency measured `now`. */
export function machineMismatch(then: EnvironmentFingerprint, now: EnvironmentFingerprint): string | null {
  const recorded = machineKey(then);
  const current = machineKey(now);
  if (recorded === current) return null;
  return `the baseline was recorded on ${recorded}, this machine is ${current}: latency is not comparable across machines (use --against <git-ref> to compare on this machine, or set ${MACHINE_ID_VARIABLE} to the same name on identical benchmark runners)`;
}
