/**
 * What profiling added to a run, as stored in `results.json` (`BenchResults.profiles`). Profiled
 * runs are separate from measured runs: nothing here is timed under a profiler, and no number
 * from a profiled run feeds a threshold or a verdict.
 */
import { z } from 'zod';

/** `--profile` choices. `cpuprofile` is the lab's own V8 profiler (via its diagnostics server). */
export const PROFILE_KINDS = ['0x', 'clinic-flame', 'clinic-doctor', 'cpuprofile'] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];

/**
 * Node flags of every profiled lab. Once warm, TurboFan may inline `simulateLoop` into its caller
 * and the profiler then charges the loop's time to the caller's frame; without inlining, frames
 * map to source functions. From Node 22 Maglev (V8's mid tier) inlines too, and
 * `--no-maglev-inlining` did not stop it: a Node 24 lab's profile charged the loop to
 * `loopChecksum` until Maglev was off. Node 20 accepts both flags. Measured runs never use them.
 */
export const PROFILE_NODE_FLAGS = ['--no-turbo-inlining', '--no-maglev'] as const;

/** How every profile here was taken, for the reports. */
export const PROFILE_METHOD_NOTE =
  `Profiled in separate runs after the measured trials (never timed), each in a fresh lab started with ${PROFILE_NODE_FLAGS.join(' ')} ` +
  'so that V8 does not inline the loop into its caller and frames map to source functions. Shares are of busy (non-idle) samples.';

/** A file a profiled run wrote, relative to the run folder (`profiles/<scenario>/…`). */
export const profileFileSchema = z.object({
  kind: z.enum(['flamegraph-html', 'cpuprofile', 'doctor-html', 'differential-html']),
  path: z.string(),
  bytes: z.number(),
});
export type ProfileFile = z.infer<typeof profileFileSchema>;

/** A function with its share of the profile's busy samples (idle excluded). */
export const hotFunctionSchema = z.object({
  functionName: z.string(),
  /** Source location relative to the lab's root (`dist/server/work/checksum.js`), or node's own. */
  location: z.string(),
  /** Samples with this function on top of the stack / busy samples: the widest plateaus. */
  selfShare: z.number(),
  /** Samples with this function anywhere on the stack / busy samples. */
  totalShare: z.number(),
});
export type HotFunction = z.infer<typeof hotFunctionSchema>;

const profiledRunBase = {
  scenario: z.string(),
  /** Which lab: `current` (this checkout) or `baseline` (the reference's build). */
  side: z.string(),
  profiler: z.enum(PROFILE_KINDS),
  /** `requested` by `--profile`; `regression`: captured automatically for a regressed scenario. */
  purpose: z.enum(['requested', 'regression']),
  nodeFlags: z.array(z.string()),
  /** Length of the profiled load window (after the warm-up). */
  loadSeconds: z.number(),
};

export const profiledRunSchema = z.discriminatedUnion('status', [
  z.object({
    ...profiledRunBase,
    status: z.literal('ok'),
    files: z.array(profileFileSchema),
    /** Functions with the most self time, as the flamegraph's default view shows them; empty for doctor. */
    hottest: z.array(hotFunctionSchema),
  }),
  z.object({ ...profiledRunBase, status: z.literal('failed'), error: z.string(), files: z.array(profileFileSchema) }),
]);
export type ProfiledRun = z.infer<typeof profiledRunSchema>;

const sideShares = z.object({ selfShare: z.number(), totalShare: z.number(), selfMs: z.number(), totalMs: z.number() });

/** One function's shares on both sides of a differential profile. */
export const differentialRowSchema = z.object({
  functionName: z.string(),
  location: z.string(),
  baseline: sideShares,
  current: sideShares,
  /** current − baseline, as fractions of busy samples (0.05 = 5 percentage points). */
  selfShareChange: z.number(),
  totalShareChange: z.number(),
});
export type DifferentialRow = z.infer<typeof differentialRowSchema>;

export const differentialSideSchema = z.object({
  label: z.string(),
  /** The commit its lab was built from, when known. */
  commit: z.string().nullable(),
  busySamples: z.number(),
  /** CPU profile file, relative to the run folder. */
  profilePath: z.string(),
});
export type DifferentialSide = z.infer<typeof differentialSideSchema>;

/** Where the time moved in a regressed scenario: the baseline side's profile against the current one's. */
export const differentialProfileSchema = z.discriminatedUnion('status', [
  z.object({
    scenario: z.string(),
    status: z.literal('ok'),
    baseline: differentialSideSchema,
    current: differentialSideSchema,
    /** Functions whose self share grew most, largest growth first. */
    bySelf: z.array(differentialRowSchema),
    /** Functions whose total (inclusive) share grew most, largest growth first. */
    byTotal: z.array(differentialRowSchema),
    files: z.array(profileFileSchema),
    /** Caveats, e.g. that both sides ran the same code. */
    notes: z.array(z.string()),
  }),
  z.object({
    scenario: z.string(),
    /** Only one side (or none) could be profiled; `current` holds what was captured. */
    status: z.literal('unavailable'),
    reason: z.string(),
    current: differentialSideSchema.nullable(),
    files: z.array(profileFileSchema),
  }),
]);
export type DifferentialProfile = z.infer<typeof differentialProfileSchema>;

/**
 * `BenchResults.profiles`: optional, added in schema version 1 without a version bump (older
 * files simply lack it). Absent when no profile was asked for and no regression was found.
 */
export const profilesReportSchema = z.object({
  /** `--profile KIND`, or null when only regression profiles were captured. */
  requested: z.enum(PROFILE_KINDS).nullable(),
  runs: z.array(profiledRunSchema),
  differentials: z.array(differentialProfileSchema),
  /** Best-effort profilers that failed, and other things a reader should know. Never fatal. */
  warnings: z.array(z.string()),
});
export type ProfilesReport = z.infer<typeof profilesReportSchema>;
