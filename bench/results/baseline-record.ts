import { BASELINE_SCHEMA_VERSION, type BaselineFile } from '../../ci/baseline/store.js';
import type { EnvironmentFingerprint } from '../../ci/gate/machine.js';
import { instructionMetrics, type MicroOutcome } from './micro-outcome.js';
import { describeDisagreement } from './correctness.js';
import type { ScenarioOutcome } from './results.js';

/** Why an outcome must not become a baseline; null when it may. */
export function baselineRefusal(outcome: ScenarioOutcome): string | null {
  if (outcome.status === 'errored') return `${outcome.name}: the run errored (${outcome.error})`;
  if (outcome.status === 'invalid') return `${outcome.name}: the run was invalid (${outcome.reason})`;
  const inconsistent = outcome.correctness.filter((v) => !v.consistent);
  if (inconsistent.length > 0) {
    return `${outcome.name}: responses disagreed (${inconsistent.map((v) => `${v.name}: ${describeDisagreement(v)}`).join('; ')})`;
  }
  return null;
}

/** A scenario's outcome as a committed baseline: valid trials' metrics (4 significant digits), histograms, answers. */
export function toBaseline(outcome: ScenarioOutcome, environment: EnvironmentFingerprint, reason: string, recordedAt: Date): BaselineFile {
  return {
    ...header(outcome, environment, reason, recordedAt),
    // Status and digest only when recorded, so a lab baseline's file keeps its shape.
    correctness: outcome.correctness.map((v) => ({
      variant: v.name,
      checksum: v.checksum,
      payloadDigest: v.payloadDigest,
      ...(v.status === null ? {} : { status: v.status }),
      ...(v.digest === null ? {} : { digest: v.digest }),
    })),
    trials: outcome.trials
      .filter((t) => t.validity.valid)
      .map((t) => ({
        metrics: Object.fromEntries(Object.entries(t.metrics).map(([key, value]) => [key, Number(value.toPrecision(4))])),
        latencyHistogram: t.client.latencyHistogram,
      })),
  };
}

/** Why a micro outcome must not become a baseline; null when it may. */
export function microBaselineRefusal(outcome: MicroOutcome): string | null {
  if (outcome.status === 'errored') return `${outcome.name}: the run errored (${outcome.error})`;
  if (outcome.trials.length === 0) return `${outcome.name}: no timing trial completed`;
  return null;
}

/**
 * A micro outcome as a committed baseline: each trial's timings (4 significant digits) with the
 * instruction counts (to 0.1 instruction: rounding to 4 digits would move them by up to 0.05%,
 * a tenth of their margin), and each task's answer.
 */
export function toMicroBaseline(
  outcome: MicroOutcome,
  environment: EnvironmentFingerprint,
  reason: string,
  recordedAt: Date,
): BaselineFile {
  const counts = Object.fromEntries(Object.entries(instructionMetrics(outcome.instructions)).map(([k, v]) => [k, Math.round(v * 10) / 10]));
  return {
    ...header(outcome, environment, reason, recordedAt),
    correctness: outcome.answers.map((a) => ({
      variant: a.task,
      checksum: null,
      payloadDigest: null,
      ...(a.digest === null ? {} : { digest: a.digest }),
    })),
    trials: outcome.trials.map((t) => ({
      metrics: { ...Object.fromEntries(Object.entries(t.metrics).map(([key, value]) => [key, Number(value.toPrecision(4))])), ...counts },
    })),
  };
}

/** What every baseline file says about where, when and why it was recorded. */
function header(
  outcome: { name: string; hash: string },
  environment: EnvironmentFingerprint,
  reason: string,
  recordedAt: Date,
): Omit<BaselineFile, 'correctness' | 'trials'> {
  return {
    schemaVersion: BASELINE_SCHEMA_VERSION,
    scenario: outcome.name,
    scenarioHash: outcome.hash,
    recordedAt: recordedAt.toISOString(),
    reason,
    git: environment.git,
    environment,
  };
}
