import { BASELINE_SCHEMA_VERSION, type BaselineFile } from '../../ci/baseline/store.js';
import type { EnvironmentFingerprint } from '../../ci/gate/machine.js';
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
    schemaVersion: BASELINE_SCHEMA_VERSION,
    scenario: outcome.name,
    scenarioHash: outcome.hash,
    recordedAt: recordedAt.toISOString(),
    reason,
    git: environment.git,
    environment,
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
