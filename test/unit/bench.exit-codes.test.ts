import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeFor } from '../../bench/results/exit-codes.js';
import type { BenchResults, ScenarioOutcome } from '../../bench/results/results.js';

const scenario = (name: string, patch: Partial<ScenarioOutcome> & { status?: ScenarioOutcome['status'] } = {}): ScenarioOutcome =>
  ({
    name,
    status: 'ok',
    hash: 'h',
    trials: [],
    aggregate: null,
    correctness: [
      {
        name: 'work',
        checksum: '1',
        payloadDigest: null,
        consistent: true,
        checksums: { '1': 1 },
        payloadDigests: {},
        status: null,
        digest: null,
        statuses: {},
        digests: {},
      },
    ],
    thresholds: [{ metric: 'p95_ms', expression: '< 1', actual: 0.5, pass: true }],
    durationSeconds: 1,
    ...patch,
  }) as ScenarioOutcome;

const results = (scenarios: ScenarioOutcome[], interrupted = false) =>
  ({ options: { scenarios: [], trialsOverride: null, interrupted }, scenarios, micro: [] }) as unknown as BenchResults;

describe('bench exit codes', () => {
  const failedThreshold = scenario('a', { thresholds: [{ metric: 'p95_ms', expression: '< 1', actual: 2, pass: false }] });
  const errored = scenario('b', { status: 'errored', error: 'boom', labOutput: [] } as Partial<ScenarioOutcome>);
  const inconsistent = scenario('c', {
    correctness: [
      {
        name: 'work',
        checksum: null,
        payloadDigest: null,
        consistent: false,
        checksums: { '1': 1, '2': 1 },
        payloadDigests: {},
        status: null,
        digest: null,
        statuses: {},
        digests: {},
      },
    ],
  });

  it.each([
    ['all pass', [scenario('a')], false, EXIT.ok],
    ['a failed threshold', [failedThreshold], false, EXIT.performance],
    ['an errored scenario outranks a threshold', [failedThreshold, errored], false, EXIT.invalidRun],
    ['inconsistent checksums outrank everything measured', [failedThreshold, errored, inconsistent], false, EXIT.correctness],
    ['an interruption outranks all', [inconsistent], true, EXIT.interrupted],
  ])('%s', (_what, scenarios, interrupted, code) => {
    expect(exitCodeFor(results(scenarios, interrupted)).code).toBe(code);
  });
});

describe('bench exit codes with a gate', () => {
  const gated = (mode: string) =>
    ({
      ...results([scenario('a')]),
      gate: { mode, correctness: [], metrics: [{ scenario: 'a', metric: 'p95_ms', verdict: 'regression' }] },
    }) as unknown as BenchResults;

  it('a regression against a reference fails with exit 1', () => {
    expect(exitCodeFor(gated('against'))).toEqual({ code: EXIT.performance, reason: 'performance regression in a p95_ms' });
  });

  it('a "regression" in an A/A calibration is a false alarm at the current margins: reported, exit 0', () => {
    const code = exitCodeFor(gated('calibrate'));
    expect(code.code).toBe(EXIT.ok);
    expect(code.reason).toContain('flagged a p95_ms at the current margins, a false alarm');
  });
});
