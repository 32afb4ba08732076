import type { BenchResults } from './results.js';

/** `npm run bench` exit codes; part of the interface (documented in the README). */
export const EXIT = {
  ok: 0,
  /** A threshold failed, or (with a baseline) the gate found a performance regression. */
  performance: 1,
  /** Bad flags or a bad scenario file. */
  usage: 2,
  /** A run could not be trusted: invalid trials, a crashed lab or generator. */
  invalidRun: 3,
  /** Responses of one variant disagreed, or (with a baseline) a checksum/digest changed. */
  correctness: 4,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The most serious problem decides: interrupted, correctness, invalid run, performance. */
export function exitCodeFor(results: BenchResults): { code: ExitCode; reason: string } {
  if (results.options.interrupted) return { code: EXIT.interrupted, reason: 'interrupted' };
  const inconsistent = results.scenarios.filter((s) => s.correctness.some((v) => !v.consistent));
  if (inconsistent.length > 0) {
    return { code: EXIT.correctness, reason: `inconsistent answers in ${inconsistent.map((s) => s.name).join(', ')}` };
  }
  const changed = results.gate?.correctness.filter((c) => c.status === 'changed' || c.status === 'missing') ?? [];
  if (changed.length > 0) {
    return {
      code: EXIT.correctness,
      reason: `answers changed against the baseline in ${[...new Set(changed.map((c) => `${c.scenario}/${c.variant}`))].join(', ')}`,
    };
  }
  const untrusted = [
    ...results.scenarios,
    ...(results.reference?.scenarios ?? []),
    ...results.micro,
    ...(results.reference?.micro ?? []),
  ].filter((s) => s.status !== 'ok');
  if (untrusted.length > 0) {
    return { code: EXIT.invalidRun, reason: `could not measure ${untrusted.map((s) => `${s.name} (${s.status})`).join(', ')}` };
  }
  const regressed = (results.gate?.metrics.filter((m) => m.verdict === 'regression') ?? []).map((m) => `${m.scenario} ${m.metric}`);
  // In an A/A calibration both sides run the same code: a "regression" there is a false alarm by
  // construction, a finding about the current margins (too tight for this noise), not a failure.
  const falseAlarms = results.gate?.mode === 'calibrate' ? regressed : [];
  if (falseAlarms.length === 0 && regressed.length > 0) {
    return { code: EXIT.performance, reason: `performance regression in ${regressed.join(', ')}` };
  }
  const failed = [...results.scenarios, ...results.micro].filter((s) => s.thresholds.some((t) => !t.pass));
  if (failed.length > 0) {
    return { code: EXIT.performance, reason: `thresholds failed in ${failed.map((s) => s.name).join(', ')}` };
  }
  if (falseAlarms.length > 0) {
    return {
      code: EXIT.ok,
      reason: `all scenarios passed; the A/A run flagged ${falseAlarms.join(', ')} at the current margins, a false alarm: see the proposed margins`,
    };
  }
  return { code: EXIT.ok, reason: 'all scenarios passed' };
}
