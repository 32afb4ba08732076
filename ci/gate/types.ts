import type { Verdict } from '../stats/index.js';

/** Where the gate's reference numbers came from. */
export type GateMode = 'baseline' | 'against' | 'calibrate';

/** A performance verdict per (scenario, metric); `skipped` when the data are not comparable. */
export type GateVerdict = Verdict | 'skipped';

export interface MetricGateResult {
  scenario: string;
  metric: string;
  unit: 'ms' | 'ratio' | 'rps';
  direction: 'lower-is-better' | 'higher-is-better';
  /** The allowed regression as written, e.g. "+10%". */
  allowed: string;
  /** Medians of the trial values; for absolute rules, means. */
  baselineValue: number | null;
  currentValue: number | null;
  /** Estimated change in percent (Hodges–Lehmann ratio − 1); absolute rules: null. */
  changePercent: number | null;
  /** Confidence interval of the change in percent; `null` ends are unbounded. */
  intervalPercent: { low: number | null; high: number | null; confidence: number } | null;
  verdict: GateVerdict;
  /** Holm-adjusted one-sided p-value for "worse", when a test ran. */
  pWorseAdjusted: number | null;
  /** For inconclusive verdicts: trials per side that would likely decide. */
  trialsNeededPerSide: number | null;
  baselineTrials: number;
  currentTrials: number;
  /** Why, in words, when the numbers alone do not say (skipped, absolute rule, re-run). */
  note: string | null;
}

export interface CorrectnessGateResult {
  scenario: string;
  variant: string;
  /**
   * `changed`: a checksum or payload digest differs from the baseline (a logic change);
   * `inconsistent`: responses within one side disagreed; `missing`/`added`: the variant exists on
   * one side only; `skipped`: the scenario definition changed, so answers may legitimately differ.
   */
  status: 'same' | 'changed' | 'inconsistent' | 'missing' | 'added' | 'skipped';
  baseline: { checksum: string | null; payloadDigest: string | null } | null;
  current: { checksum: string | null; payloadDigest: string | null } | null;
  /** The same scenario also got faster: the classic "optimisation" that broke the logic. */
  fasterButWrong: boolean;
}

export interface GateReport {
  mode: GateMode;
  /** Human description of the reference, e.g. "ci/baselines (recorded at 1a2b3c4)" or "git ref main (1a2b3c4)". */
  reference: string;
  referenceCommit: string | null;
  /** False when committed baselines come from a different machine: latency is then not compared. */
  machineMatches: boolean;
  machineNote: string | null;
  alpha: number;
  metrics: MetricGateResult[];
  correctness: CorrectnessGateResult[];
  /** Scenarios re-run to confirm a suspected regression. */
  confirmedByRerun: string[];
  summary: GateSummary;
}

export interface GateSummary {
  outcome: 'pass' | 'performance-regression' | 'correctness-regression';
  regressions: number;
  improvements: number;
  inconclusive: number;
  invalid: number;
  skipped: number;
  passed: number;
  correctnessFailures: number;
}
