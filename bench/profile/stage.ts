import type { GateReport } from '../../ci/gate/types.js';
import { prepareRef, RefError, type PreparedRef } from '../process/git-worktree.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { profileRegression, type BaselineLab, type LabSide } from './regression-profile.js';
import { runRequestedProfile, type ProfileContext } from './requested-profile.js';
import type { ProfileKind, ProfilesReport } from './types.js';

/** Where a regressed scenario's baseline lab comes from, per gate mode. */
export type BaselineSource =
  /** A build that exists now: the `--against` worktree, or this checkout for an A/A run. */
  | { kind: 'built'; label: string; root: string; commit: string | null }
  /** A committed baseline: its recorded commit, checked out and built on demand. */
  | { kind: 'commit'; label: string; commit: string | null }
  | { kind: 'none'; reason: string };

export interface ProfilingStageInput {
  requested: ProfileKind | null;
  /** The scenarios that were measured, in run order. */
  scenarios: readonly ScenarioSpec[];
  gate: GateReport | null;
  baselineFor: (scenario: string) => BaselineSource;
  current: { root: string; commit: string | null; dirty: boolean | null };
  context: ProfileContext;
}

/**
 * Everything profiling adds to a run, after the measured trials: `--profile` runs for each
 * scenario, then, for each scenario the gate found regressed, profiles of both sides and their
 * differential. Null when there was nothing to do. Never throws for a profiler's failure.
 */
export async function runProfilingStage(input: ProfilingStageInput): Promise<ProfilesReport | null> {
  const regressed = regressedScenarios(input.gate, input.scenarios);
  if (input.requested === null && regressed.length === 0) return null;
  const { context } = input;
  const report: ProfilesReport = { requested: input.requested, runs: [], differentials: [], warnings: [] };

  if (input.requested !== null) {
    for (const spec of input.scenarios) {
      if (context.signal.aborted) break;
      if (spec.target.kind !== 'lab') {
        report.warnings.push(`${spec.name}: ${input.requested} is not available for this target (profiling drives the built-in lab)`);
        continue;
      }
      context.log(`${spec.name}: profiling with ${input.requested} (a separate run; not measured)`);
      const { run, warning } = await runRequestedProfile(input.requested, spec, context);
      report.runs.push(run);
      if (warning) report.warnings.push(warning);
      if (run.status === 'failed') report.warnings.push(`${spec.name}: ${input.requested} failed: ${run.error}`);
      else context.log(`${spec.name}: ${run.files.map((f) => f.path).join(', ')}`);
    }
  }

  const prepared = new Map<string, PreparedRef>();
  const current: LabSide = { label: 'current', root: input.current.root, commit: input.current.commit };
  try {
    for (const spec of regressed) {
      if (context.signal.aborted) break;
      if (spec.target.kind !== 'lab') {
        report.warnings.push(`${spec.name}: no regression profile: not available for this target (profiling drives the built-in lab)`);
        continue;
      }
      const baseline = await baselineLab(input.baselineFor(spec.name), input.current, prepared, context.log);
      const result = await profileRegression(spec, baseline, current, context);
      report.runs.push(...result.runs);
      report.differentials.push(result.differential);
      report.warnings.push(...result.warnings);
      if (result.differential.status === 'unavailable')
        report.warnings.push(`${spec.name}: no differential profile: ${result.differential.reason}`);
    }
  } finally {
    for (const ref of prepared.values()) await ref.remove();
  }
  return report;
}

/** Scenarios with at least one `regression` verdict, in run order (pure). */
export function regressedScenarios(gate: GateReport | null, scenarios: readonly ScenarioSpec[]): ScenarioSpec[] {
  const names = new Set(gate?.metrics.filter((m) => m.verdict === 'regression').map((m) => m.scenario) ?? []);
  return scenarios.filter((s) => names.has(s.name));
}

/** git may refuse a worktree while another git command holds a lock; one retry covers that. */
async function prepareWithRetry(commit: string, root: string, log: (line: string) => void): Promise<PreparedRef> {
  try {
    return await prepareRef(commit, root, log);
  } catch (error) {
    if (!(error instanceof RefError)) throw error;
    log(`could not build ${commit.slice(0, 12)} (${error.message.split('\n')[0]}); trying once more`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return prepareRef(commit, root, log);
  }
}

async function baselineLab(
  source: BaselineSource,
  current: ProfilingStageInput['current'],
  prepared: Map<string, PreparedRef>,
  log: (line: string) => void,
): Promise<BaselineLab> {
  const unchangedTree = current.dirty === false;
  switch (source.kind) {
    case 'none':
      return { status: 'unavailable', reason: source.reason };
    case 'built': {
      const sameCode = source.root === current.root || (source.commit !== null && source.commit === current.commit && unchangedTree);
      return { status: 'available', side: { label: source.label, root: source.root, commit: source.commit }, sameCode };
    }
    case 'commit': {
      if (source.commit === null)
        return { status: 'unavailable', reason: 'the baseline file records no git commit, so its lab cannot be rebuilt' };
      if (source.commit === current.commit && unchangedTree) {
        return { status: 'available', side: { label: source.label, root: current.root, commit: source.commit }, sameCode: true };
      }
      let ref = prepared.get(source.commit);
      if (!ref) {
        try {
          log(`building the baseline's commit ${source.commit.slice(0, 12)} to profile its lab`);
          ref = await prepareWithRetry(source.commit, current.root, log);
          prepared.set(source.commit, ref);
        } catch (error) {
          if (!(error instanceof RefError)) throw error;
          return {
            status: 'unavailable',
            reason: `the baseline's commit ${source.commit.slice(0, 12)} cannot be checked out and built here (${error.message.replace(/^--against( \S+)?: /, '')}); a shallow CI clone may lack it`,
          };
        }
      }
      return { status: 'available', side: { label: source.label, root: ref.root, commit: source.commit }, sameCode: false };
    }
  }
}
