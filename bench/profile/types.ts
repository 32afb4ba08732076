/**
 * What profiling added to a run, as stored in `results.json` (`BenchResults.profiles`). Profiled
 * runs are separate from measured runs: nothing here is timed under a profiler, and no number
 * from a profiled run feeds a threshold or a verdict.
 */

/** `--profile` choices. `cpuprofile` is the lab's own V8 profiler (via its diagnostics server). */
export const PROFILE_KINDS = ['0x', 'clinic-flame', 'clinic-doctor', 'cpuprofile'] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];

/**
 * Node flags of every profiled lab. Once warm, TurboFan may inline `simulateLoop` into its caller
 * and the profiler then charges the loop's time to the caller's frame; without inlining, frames
 * map to source functions. Measured runs never use these flags.
 */
export const PROFILE_NODE_FLAGS = ['--no-turbo-inlining'] as const;

/** How every profile here was taken, for the reports. */
export const PROFILE_METHOD_NOTE =
  `Profiled in separate runs after the measured trials (never timed), each in a fresh lab started with ${PROFILE_NODE_FLAGS.join(' ')} ` +
  'so that V8 does not inline the loop into its caller and frames map to source functions. Shares are of busy (non-idle) samples.';

/** A file a profiled run wrote, relative to the run folder (`profiles/<scenario>/…`). */
export interface ProfileFile {
  kind: 'flamegraph-html' | 'cpuprofile' | 'doctor-html' | 'differential-html';
  path: string;
  bytes: number;
}

/** A function with its share of the profile's busy samples (idle excluded). */
export interface HotFunction {
  functionName: string;
  /** Source location relative to the lab's root (`dist/server/work/checksum.js`), or node's own. */
  location: string;
  /** Samples with this function on top of the stack / busy samples: the widest plateaus. */
  selfShare: number;
  /** Samples with this function anywhere on the stack / busy samples. */
  totalShare: number;
}

interface ProfiledRunBase {
  scenario: string;
  /** Which lab: `current` (this checkout) or `baseline` (the reference's build). */
  side: string;
  profiler: ProfileKind;
  /** `requested` by `--profile`; `regression`: captured automatically for a regressed scenario. */
  purpose: 'requested' | 'regression';
  nodeFlags: string[];
  /** Length of the profiled load window (after the warm-up). */
  loadSeconds: number;
}

export type ProfiledRun =
  | (ProfiledRunBase & {
      status: 'ok';
      files: ProfileFile[];
      /** Functions with the most self time, as the flamegraph's default view shows them; empty for doctor. */
      hottest: HotFunction[];
    })
  | (ProfiledRunBase & { status: 'failed'; error: string; files: ProfileFile[] });

/** One function's shares on both sides of a differential profile. */
export interface DifferentialRow {
  functionName: string;
  location: string;
  baseline: { selfShare: number; totalShare: number; selfMs: number; totalMs: number };
  current: { selfShare: number; totalShare: number; selfMs: number; totalMs: number };
  /** current − baseline, as fractions of busy samples (0.05 = 5 percentage points). */
  selfShareChange: number;
  totalShareChange: number;
}

export interface DifferentialSide {
  label: string;
  /** The commit its lab was built from, when known. */
  commit: string | null;
  busySamples: number;
  /** CPU profile file, relative to the run folder. */
  profilePath: string;
}

/** Where the time moved in a regressed scenario: the baseline side's profile against the current one's. */
export type DifferentialProfile =
  | {
      scenario: string;
      status: 'ok';
      baseline: DifferentialSide;
      current: DifferentialSide;
      /** Functions whose self share grew most, largest growth first. */
      bySelf: DifferentialRow[];
      /** Functions whose total (inclusive) share grew most, largest growth first. */
      byTotal: DifferentialRow[];
      files: ProfileFile[];
      /** Caveats, e.g. that both sides ran the same code. */
      notes: string[];
    }
  | {
      scenario: string;
      /** Only one side (or none) could be profiled; `current` holds what was captured. */
      status: 'unavailable';
      reason: string;
      current: DifferentialSide | null;
      files: ProfileFile[];
    };

/**
 * `BenchResults.profiles`: optional, added in schema version 1 without a version bump (older
 * files simply lack it). Absent when no profile was asked for and no regression was found.
 */
export interface ProfilesReport {
  /** `--profile KIND`, or null when only regression profiles were captured. */
  requested: ProfileKind | null;
  runs: ProfiledRun[];
  differentials: DifferentialProfile[];
  /** Best-effort profilers that failed, and other things a reader should know. Never fatal. */
  warnings: string[];
}
