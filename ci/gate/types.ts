/**
 * The gate's own vocabulary: what it is given (`GateRule`, `ScenarioPair`) and what it returns
 * (`GateReport`, stored in results.json, hence zod schemas with the types inferred from them).
 * It knows nothing of how the numbers were measured: the runner adapts its outcomes and
 * baseline files to these types (bench/results/gate-inputs.ts).
 */
import { z } from 'zod';
import { DIRECTIONS, type Direction, type Verdict } from '../stats/index.js';

export type { Direction };

/**
 * Units of gated metrics: milliseconds, a ratio in [0, 1], requests per second, nanoseconds (per
 * operation of a micro-benchmark), and CPU instructions (per operation, counted by callgrind).
 */
export const METRIC_UNITS = ['ms', 'ratio', 'rps', 'ns', 'instructions'] as const;
export type MetricUnit = (typeof METRIC_UNITS)[number];

/**
 * How much worse a metric may get before the gate calls it a regression: relative ("+10%": up to
 * 10% higher; "-10%": up to 10% lower, for throughput) or absolute ("+0.01", for ratios whose
 * baseline is often exactly zero).
 */
export const allowedChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('relative'), fraction: z.number(), direction: z.enum(['increase', 'decrease']), source: z.string() }),
  z.object({ kind: z.literal('absolute'), amount: z.number(), direction: z.enum(['increase', 'decrease']), source: z.string() }),
]);
export type AllowedChange = z.infer<typeof allowedChangeSchema>;

/** One gated metric of a scenario, with what the gate needs to judge it. */
export interface GateRule {
  metric: string;
  unit: MetricUnit;
  direction: Direction;
  allowed: AllowedChange;
  /**
   * A count that is the same run after run (instructions under callgrind): compared directly,
   * median against median, with no statistics and no Holm family. Absent: sampled (tested).
   */
  deterministic?: boolean;
}

/**
 * What one side said a request variant answers, and whether its responses agreed: the lab's
 * checksum and payload digest, and any service's status code and body digest. Null: not recorded.
 */
export interface VariantAnswers {
  name: string;
  checksum: string | null;
  payloadDigest: string | null;
  status: string | null;
  digest: string | null;
  consistent: boolean;
}

/** One side of a comparison for one scenario: trial-level metric values and the answers. */
export interface SideData {
  /** Valid trials' metric values, one record per trial. */
  trials: ReadonlyArray<Readonly<Record<string, number>>>;
  /**
   * Each trial's number in the run, aligned with `trials`: in a paired design, trial k of one side
   * is compared with trial k of the other. Null when the trials have no pairing (a baseline file).
   */
  trialIndices: readonly number[] | null;
  correctness: readonly VariantAnswers[];
  /** False when this side's run was not trustworthy (invalid or errored). */
  usable: boolean;
}

export interface ScenarioPair {
  scenario: string;
  /**
   * `paired`: both sides ran in one interleaved run, trial k next to trial k, so the gate compares
   * trial k with trial k (what the pair shares cancels). `independent`: two samples (committed baselines).
   */
  design: 'paired' | 'independent';
  gate: readonly GateRule[];
  baseline: SideData | null;
  current: SideData;
  /** Why latency cannot be compared (different machine, changed scenario); null when it can. */
  incomparable: string | null;
  /** Why even answers cannot be compared (the scenario's knobs changed); null when they can. */
  correctnessIncomparable: string | null;
  /**
   * Why deterministic counts cannot be compared (another architecture, CPU level, Node or
   * valgrind); null when they can even though latency cannot. Absent: as `incomparable`.
   */
  countsIncomparable?: string | null;
}

/** Where the gate's reference numbers came from. */
// `report`: against another run imported from a load tool's report (bench/artillery), two independent samples.
export const GATE_MODES = ['baseline', 'against', 'calibrate', 'report'] as const;
export type GateMode = (typeof GATE_MODES)[number];

/** A performance verdict per (scenario, metric); `skipped` when the data are not comparable. */
export const GATE_VERDICTS = ['pass', 'regression', 'improvement', 'inconclusive', 'invalid', 'skipped'] as const;
export type GateVerdict = (typeof GATE_VERDICTS)[number];
// The stats layer's verdicts are exactly the gate's, less `skipped`: checked at compile time.
const verdictsAgree: [Exclude<GateVerdict, 'skipped'>, Verdict] extends [Verdict, Exclude<GateVerdict, 'skipped'>] ? true : never = true;
void verdictsAgree;

export const metricGateResultSchema = z.object({
  scenario: z.string(),
  metric: z.string(),
  unit: z.enum(METRIC_UNITS),
  direction: z.enum(DIRECTIONS),
  /** The allowed regression as written, e.g. "+10%". */
  allowed: z.string(),
  /** Medians of the trial values; for absolute rules, means. */
  baselineValue: z.number().nullable(),
  currentValue: z.number().nullable(),
  /** Estimated change in percent (Hodges–Lehmann ratio − 1); absolute rules: null. */
  changePercent: z.number().nullable(),
  /** Confidence interval of the change in percent; `null` ends are unbounded. */
  intervalPercent: z.object({ low: z.number().nullable(), high: z.number().nullable(), confidence: z.number() }).nullable(),
  verdict: z.enum(GATE_VERDICTS),
  /** Holm-adjusted one-sided p-value for "worse", when a test ran. */
  pWorseAdjusted: z.number().nullable(),
  /** For inconclusive verdicts: trials per side that would likely decide. */
  trialsNeededPerSide: z.number().nullable(),
  baselineTrials: z.number(),
  currentTrials: z.number(),
  /** Why, in words, when the numbers alone do not say (skipped, absolute rule, re-run). */
  note: z.string().nullable(),
});
export type MetricGateResult = z.infer<typeof metricGateResultSchema>;

const answersSchema = z
  .object({
    checksum: z.string().nullable(),
    payloadDigest: z.string().nullable(),
    // Absent in files written before answers were generalized.
    status: z.string().nullable().default(null),
    digest: z.string().nullable().default(null),
  })
  .nullable();

export const correctnessGateResultSchema = z.object({
  scenario: z.string(),
  variant: z.string(),
  /**
   * `changed`: a checksum, payload digest, status code or body digest differs from the baseline (a logic change);
   * `inconsistent`: responses within one side disagreed; `missing`/`added`: the variant exists on
   * one side only; `skipped`: the scenario definition changed, so answers may legitimately differ.
   */
  status: z.enum(['same', 'changed', 'inconsistent', 'missing', 'added', 'skipped']),
  baseline: answersSchema,
  current: answersSchema,
  /** The same scenario also got faster: the classic "optimisation" that broke the logic. */
  fasterButWrong: z.boolean(),
});
export type CorrectnessGateResult = z.infer<typeof correctnessGateResultSchema>;

export const gateSummarySchema = z.object({
  /**
   * The most serious finding, in the order the exit code ranks them: `interrupted` (partial
   * results), `correctness-regression`, `incomplete` (some comparison could not be made: a side's
   * run could not be trusted), `performance-regression`, `pass`.
   */
  outcome: z.enum(['pass', 'performance-regression', 'correctness-regression', 'incomplete', 'interrupted']),
  regressions: z.number(),
  improvements: z.number(),
  inconclusive: z.number(),
  invalid: z.number(),
  skipped: z.number(),
  passed: z.number(),
  correctnessFailures: z.number(),
});
export type GateSummary = z.infer<typeof gateSummarySchema>;

export const gateReportSchema = z.object({
  mode: z.enum(GATE_MODES),
  /** Human description of the reference, e.g. "ci/baselines (recorded at 1a2b3c4)" or "git ref main (1a2b3c4)". */
  reference: z.string(),
  referenceCommit: z.string().nullable(),
  /** False when committed baselines come from a different machine: latency is then not compared. */
  machineMatches: z.boolean(),
  machineNote: z.string().nullable(),
  alpha: z.number(),
  metrics: z.array(metricGateResultSchema),
  correctness: z.array(correctnessGateResultSchema),
  /**
   * The looks the gate took (ci/stats/sequential.ts): the level each was judged at and the
   * scenarios it measured (all of them first, then those still undecided). Empty in older files.
   */
  looks: z.array(z.object({ alpha: z.number(), scenarios: z.array(z.string()) })).default([]),
  /** Scenarios re-run to confirm a suspected regression (files written before adaptive looks). */
  confirmedByRerun: z.array(z.string()).default([]),
  summary: gateSummarySchema,
});
export type GateReport = z.infer<typeof gateReportSchema>;
