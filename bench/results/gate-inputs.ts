/**
 * Adapters from what the runner measured (scenario outcomes) and what is committed (baseline
 * files) to the gate's own inputs (ci/gate/types.ts). The gate never sees a `ScenarioOutcome`.
 */
import type { BaselineFile } from '../../ci/baseline/store.js';
import { countsMismatch, machineMismatch, type EnvironmentFingerprint } from '../../ci/gate/machine.js';
import type { GateRule, ScenarioPair, SideData } from '../../ci/gate/types.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { metricInfo } from './metrics.js';
import { countsUnavailable, instructionMetrics, type MicroOutcome } from './micro-outcome.js';
import type { ScenarioOutcome } from './results.js';

/** A scenario's gate rules with each metric's unit and direction (metric keys were validated when the file was loaded). */
export function gateRules(spec: Pick<ScenarioSpec, 'gate'>): GateRule[] {
  return spec.gate.flatMap((rule) => {
    const info = metricInfo(rule.metric);
    if (!info) return [];
    return [
      {
        metric: rule.metric,
        unit: info.unit,
        direction: info.direction,
        allowed: rule.allowed,
        ...(info.deterministic ? { deterministic: true } : {}),
      },
    ];
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

/** The gate's view of one side of a micro scenario: each timing trial with the (constant) counts, and each task's answer. */
export function sideFromMicro(outcome: MicroOutcome): SideData {
  const counts = instructionMetrics(outcome.instructions);
  return {
    trials: outcome.trials.map((t) => ({ ...t.metrics, ...counts })),
    trialIndices: outcome.trials.map((t) => t.index),
    correctness: outcome.answers.map((a) => ({
      name: a.task,
      checksum: null,
      payloadDigest: null,
      status: null,
      digest: a.digest,
      consistent: true,
    })),
    usable: outcome.status === 'ok',
  };
}

/** A/B (or A/A) of a micro scenario in one run: timings paired trial by trial; counts compared directly. */
export function pairFromMicroOutcomes(reference: MicroOutcome, current: MicroOutcome): ScenarioPair {
  return {
    scenario: current.name,
    design: 'paired',
    gate: gateRules(current.spec),
    baseline: sideFromMicro(reference),
    current: sideFromMicro(current),
    incomparable: null,
    correctnessIncomparable: null,
    countsIncomparable: countsUnavailable(current) ?? countsUnavailable(reference),
  };
}

/**
 * A micro scenario against its committed baseline: timings only on the machine that recorded
 * them (like latency); instruction counts wherever the counts platform matches (arch, Node,
 * valgrind, CPU features); answers whenever the scenario is unchanged.
 */
export function pairFromMicroBaseline(baseline: BaselineFile | null, current: MicroOutcome, here: EnvironmentFingerprint): ScenarioPair {
  const gate = gateRules(current.spec);
  const base = {
    scenario: current.name,
    design: 'independent' as const,
    gate,
    current: sideFromMicro(current),
    correctnessIncomparable: null,
  };
  if (baseline === null) return { ...base, baseline: null, incomparable: null, countsIncomparable: null };
  const changed =
    baseline.scenarioHash === current.hash
      ? null
      : `the scenario changed since its baseline was recorded (${baseline.scenarioHash} → ${current.hash}); re-record it with npm run baseline`;
  return {
    ...base,
    baseline: sideFromBaseline(baseline),
    incomparable: changed ?? machineMismatch(baseline.environment, here),
    correctnessIncomparable: changed,
    countsIncomparable: changed ?? countsUnavailable(current) ?? countsMismatch(baseline.environment, here),
  };
}
