/**
 * Adapters from what the runner measured (scenario outcomes) and what is committed (baseline
 * files) to the gate's own inputs (ci/gate/types.ts). The gate never sees a `ScenarioOutcome`.
 */
import type { BaselineFile } from '../../ci/baseline/store.js';
import { machineMismatch, type EnvironmentFingerprint } from '../../ci/gate/machine.js';
import type { GateRule, ScenarioPair, SideData } from '../../ci/gate/types.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { metricInfo } from './metrics.js';
import type { ScenarioOutcome } from './results.js';

/** A scenario's gate rules with each metric's unit and direction (metric keys were validated when the file was loaded). */
export function gateRules(spec: ScenarioSpec): GateRule[] {
  return spec.gate.flatMap((rule) => {
    const info = metricInfo(rule.metric);
    return info ? [{ metric: rule.metric, unit: info.unit, direction: info.direction, allowed: rule.allowed }] : [];
  });
}

/** The gate's view of one side of a run: valid trials' metric values and the answers. */
export function sideFromOutcome(outcome: ScenarioOutcome): SideData {
  const valid = outcome.trials.filter((t) => t.validity.valid);
  return {
    trials: valid.map((t) => t.metrics),
    trialIndices: valid.map((t) => t.index),
    correctness: outcome.correctness,
    usable: outcome.status === 'ok',
  };
}

export function sideFromBaseline(baseline: BaselineFile): SideData {
  return {
    trials: baseline.trials.map((t) => t.metrics),
    trialIndices: null,
    correctness: baseline.correctness.map((v) => ({
      name: v.variant,
      checksum: v.checksum,
      payloadDigest: v.payloadDigest,
      status: v.status ?? null,
      digest: v.digest ?? null,
      consistent: true,
    })),
    usable: true,
  };
}

/** A/B (or A/A) on this machine, in one interleaved run: always comparable when the scenario is the same. */
export function pairFromOutcomes(reference: ScenarioOutcome, current: ScenarioOutcome): ScenarioPair {
  return {
    scenario: current.name,
    design: 'paired',
    gate: gateRules(current.spec),
    baseline: sideFromOutcome(reference),
    current: sideFromOutcome(current),
    incomparable: null,
    correctnessIncomparable: null,
  };
}

/** Against a committed baseline: latency only if recorded on a matching machine; answers only if the scenario is unchanged. */
export function pairFromBaseline(baseline: BaselineFile | null, current: ScenarioOutcome, here: EnvironmentFingerprint): ScenarioPair {
  const gate = gateRules(current.spec);
  if (baseline === null) {
    return {
      scenario: current.name,
      design: 'independent',
      gate,
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
    design: 'independent',
    gate,
    baseline: sideFromBaseline(baseline),
    current: sideFromOutcome(current),
    incomparable: changed ?? machineMismatch(baseline.environment, here),
    correctnessIncomparable: changed,
  };
}
