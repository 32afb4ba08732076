/**
 * The four ways `npm run bench` measures, one function each, all returning one `ModeResult`:
 * against another git ref (A/B), A/A calibration, against committed baselines, and plain.
 */
import type { BaselineFile } from '../../ci/baseline/store.js';
import { calibrate, type CalibrationReport } from '../../ci/gate/calibration.js';
import { machineMismatch, type EnvironmentFingerprint } from '../../ci/gate/machine.js';
import type { GateReport } from '../../ci/gate/types.js';
import { DEFAULT_ALPHA } from '../../ci/stats/index.js';
import { prepareRef, RefError } from '../process/git-worktree.js';
import type { BaselineSource } from '../profile/stage.js';
import { pairFromBaseline, pairFromOutcomes } from '../results/gate-inputs.js';
import type { BenchResults, ScenarioOutcome } from '../results/results.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { decideGate } from './decide.js';
import type { ScenarioEvent } from './run-scenario.js';
import { runSuite, type ScenarioRun, type SuiteSides } from './run-suite.js';

export interface ModeContext {
  scenarios: ReadonlyArray<{ spec: ScenarioSpec; hash: string }>;
  /** `--trials`, or null for each scenario's own. */
  trials: number | null;
  /** Re-run suspected regressions before failing (`--no-confirm`: don't). */
  confirm: boolean;
  environment: EnvironmentFingerprint;
  root: string;
  signal: AbortSignal;
  log: (line: string) => void;
  onEvent: (scenario: string, event: ScenarioEvent) => void;
}

/** What a mode measured and decided, and what the profiling stage needs after it. */
export type ModeResult =
  | {
      kind: 'measured';
      scenarios: ScenarioOutcome[];
      reference: BenchResults['reference'];
      gate: GateReport | null;
      calibration: CalibrationReport | null;
      /** Where a regression profile finds each scenario's baseline lab. */
      baselineFor: (scenario: string) => BaselineSource;
      /** Frees what the mode holds (the A/B worktree); call after profiling. */
      release: () => Promise<void>;
    }
  | { kind: 'unbuildable'; message: string };

const nothingToRelease = async () => {};

function runOn(context: ModeContext, sides: SuiteSides, names?: readonly string[]): Promise<ScenarioRun[]> {
  const scenarios = names ? context.scenarios.filter((s) => names.includes(s.spec.name)) : context.scenarios;
  return runSuite(scenarios, sides, { trials: context.trials, signal: context.signal, onEvent: context.onEvent });
}

const bothSides = (runs: readonly ScenarioRun[]) =>
  runs.flatMap((r) => (r.reference ? [{ reference: r.reference, current: r.current }] : []));

/** Same-machine A/B: `ref` built in a temporary worktree, its lab interleaved with this checkout's. */
export async function measureAgainstRef(context: ModeContext, ref: string): Promise<ModeResult> {
  let prepared;
  try {
    prepared = await prepareRef(ref, context.root, context.log);
  } catch (error) {
    if (error instanceof RefError) return { kind: 'unbuildable', message: error.message };
    throw error;
  }
  try {
    context.log(
      `${prepared.ref} is ready (${prepared.dependencies === 'shared' ? 'same lockfile: dependencies shared' : 'dependencies installed'})`,
    );
    const sides: SuiteSides = { reference: { label: 'baseline', labRoot: prepared.root }, current: { label: 'current' } };
    const runs = bothSides(await runOn(context, sides));
    const gate = await decideGate({
      mode: 'against',
      reference: `git ref ${prepared.ref} (${prepared.commit.slice(0, 12)})`,
      referenceCommit: prepared.commit,
      pairs: runs.map((r) => pairFromOutcomes(r.reference, r.current)),
      machineNote: null,
      rerun: async (names) => bothSides(await runOn(context, sides, names)).map((r) => pairFromOutcomes(r.reference, r.current)),
      confirm: context.confirm,
      signal: context.signal,
      log: context.log,
    });
    const root = prepared.root;
    const commit = prepared.commit;
    return {
      kind: 'measured',
      scenarios: runs.map((r) => r.current),
      reference: { label: 'baseline', ref: prepared.ref, commit, scenarios: runs.map((r) => r.reference) },
      gate,
      calibration: null,
      baselineFor: () => ({ kind: 'built', label: 'baseline', root, commit }),
      release: prepared.remove,
    };
  } catch (error) {
    await prepared.remove();
    throw error;
  }
}

/** A/A: this code against itself, for this machine's noise and the smallest detectable regression. */
export async function measureCalibration(context: ModeContext): Promise<ModeResult> {
  const runs = bothSides(await runOn(context, { reference: { label: 'A' }, current: { label: 'B' } }));
  const pairs = runs.map((r) => pairFromOutcomes(r.reference, r.current));
  const commit = context.environment.git.commit;
  const gate = await decideGate({
    mode: 'calibrate',
    reference: 'the same code (A/A)',
    referenceCommit: commit,
    pairs,
    machineNote: null,
    rerun: null,
    confirm: false,
    signal: context.signal,
    log: context.log,
  });
  return {
    kind: 'measured',
    scenarios: runs.map((r) => r.current),
    reference: { label: 'A', ref: null, commit, scenarios: runs.map((r) => r.reference) },
    gate,
    calibration: calibrate(pairs, DEFAULT_ALPHA),
    baselineFor: () => ({ kind: 'built', label: 'A', root: context.root, commit }),
    release: nothingToRelease,
  };
}

/**
 * This checkout against committed baselines (at least one): answers always, latency only on the
 * machine that recorded them.
 */
export async function measureAgainstBaselines(
  context: ModeContext,
  baselines: ReadonlyMap<string, BaselineFile>,
  baselinesDir: string,
): Promise<ModeResult> {
  const first = [...baselines.values()][0];
  if (!first) throw new Error('measureAgainstBaselines needs at least one baseline');
  const current = { current: { label: 'current' } };
  const runs = await runOn(context, current);
  const scenarios = runs.map((r) => r.current);
  const baselineFor = (name: string): BaselineSource => ({
    kind: 'commit',
    label: 'baseline',
    commit: baselines.get(name)?.git.commit ?? null,
  });
  const pairWithBaseline = (outcome: ScenarioOutcome) =>
    pairFromBaseline(baselines.get(outcome.name) ?? null, outcome, context.environment);
  const gate = await decideGate({
    mode: 'baseline',
    reference: `${baselinesDir} (recorded ${first.recordedAt.slice(0, 10)} at ${first.git.commit?.slice(0, 12) ?? 'unknown commit'})`,
    referenceCommit: first.git.commit,
    pairs: scenarios.map(pairWithBaseline),
    machineNote: machineMismatch(first.environment, context.environment),
    rerun: async (names) => (await runOn(context, current, names)).map((r) => pairWithBaseline(r.current)),
    confirm: context.confirm,
    signal: context.signal,
    log: context.log,
  });
  return { kind: 'measured', scenarios, reference: null, gate, calibration: null, baselineFor, release: nothingToRelease };
}

/** This checkout alone: thresholds only (`--no-baseline`, `--update-baseline`). */
export async function measurePlain(context: ModeContext): Promise<ModeResult> {
  const runs = await runOn(context, { current: { label: 'current' } });
  return {
    kind: 'measured',
    scenarios: runs.map((r) => r.current),
    reference: null,
    gate: null,
    calibration: null,
    baselineFor: () => ({ kind: 'none', reason: 'nothing to compare against' }),
    release: nothingToRelease,
  };
}
