/**
 * The four ways `npm run bench` measures, one function each, all returning one `ModeResult`:
 * against another git ref (A/B), A/A calibration, against committed baselines, and plain.
 */
import type { BaselineFile } from '../../ci/baseline/store.js';
import { calibrate, type CalibrationReport } from '../../ci/gate/calibration.js';
import { machineMismatch, type EnvironmentFingerprint } from '../../ci/gate/machine.js';
import type { GateReport } from '../../ci/gate/types.js';
import { DEFAULT_ALPHA, lookLevels } from '../../ci/stats/index.js';
import { prepareRef, RefError } from '../process/git-worktree.js';
import { PACKAGE_ROOT } from '../process/own-files.js';
import { buildTargets } from '../target/build.js';
import type { BaselineSource } from '../profile/stage.js';
import { pairFromBaseline, pairFromMicroBaseline, pairFromMicroOutcomes, pairFromOutcomes } from '../results/gate-inputs.js';
import type { MicroOutcome } from '../results/micro-outcome.js';
import type { BenchResults, ScenarioOutcome } from '../results/results.js';
import type { MicroScenarioSpec } from '../scenario/micro-spec.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { decideGate } from './decide.js';
import { parseMicroKey } from '../results/metrics.js';
import { runMicroSides, whereInstructionsWent, type MicroSide } from './run-micro.js';
import type { ScenarioEvent } from './run-scenario.js';
import { runSuite, type ScenarioRun, type SuiteSides } from './run-suite.js';

export interface ModeContext {
  scenarios: ReadonlyArray<{ spec: ScenarioSpec; hash: string }>;
  /** Micro-benchmark scenarios, run after the load scenarios on the same sides. */
  micro: ReadonlyArray<{ spec: MicroScenarioSpec; hash: string }>;
  /** `--trials`, or null for each scenario's own. */
  trials: number | null;
  /** Looks the gate may take: more trials for scenarios still undecided (1: decide on the first trials). */
  maxLooks: number;
  /** performance.now() by which extra trials must be done (`--budget-seconds` from the run's start). */
  deadlineMs: number;
  environment: EnvironmentFingerprint;
  /** The project being measured: its git repository (for --against) and working directory. */
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
      micro: MicroOutcome[];
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

/** Builds this checkout's command targets (their `build:`); the failure as an unbuildable result. */
async function buildCurrentTargets(context: ModeContext): Promise<Extract<ModeResult, { kind: 'unbuildable' }> | null> {
  const problem = await buildTargets(
    context.scenarios.map((s) => s.spec.target),
    context.root,
    context.log,
    'current',
  );
  return problem === null ? null : { kind: 'unbuildable', message: problem };
}

function runOn(context: ModeContext, sides: SuiteSides): Promise<ScenarioRun[]> {
  return runSuite(context.scenarios, sides, { trials: context.trials, signal: context.signal, onEvent: context.onEvent });
}

/**
 * More trials for scenarios still undecided, continuing each scenario's trial numbers: half as
 * many again as the first look (in whole lab lifetimes), and only while they fit the budget, with
 * each scenario's time per trial so far as the estimate.
 */
function extender(context: ModeContext, sides: SuiteSides, first: readonly ScenarioRun[]) {
  const state = new Map(
    first.map((run) => {
      const trials = run.current.trials.length;
      const { trialsPerLab } = run.current.spec.load;
      return [
        run.current.name,
        {
          nextIndex: Math.max(0, ...run.current.trials.map((t) => t.index)) + 1,
          extra: Math.max(trialsPerLab, Math.ceil(Math.ceil(trials / 2) / trialsPerLab) * trialsPerLab),
          secondsPerTrial: trials > 0 ? run.current.durationSeconds / trials : 0,
        },
      ];
    }),
  );
  return {
    has: (name: string) => state.has(name),
    fits: (names: readonly string[]) => {
      const needed = names.reduce((sum, name) => {
        const s = state.get(name);
        return sum + (s ? s.extra * s.secondsPerTrial : 0);
      }, 0);
      return performance.now() + needed * 1000 <= context.deadlineMs;
    },
    extend: async (names: readonly string[]): Promise<ScenarioRun[]> => {
      const extension = new Map(
        names.flatMap((name) => {
          const s = state.get(name);
          return s ? [[name, { trials: s.extra, firstTrialIndex: s.nextIndex }] as const] : [];
        }),
      );
      const scenarios = context.scenarios.filter((s) => extension.has(s.spec.name));
      const runs = await runSuite(scenarios, sides, { trials: null, extension, signal: context.signal, onEvent: context.onEvent });
      for (const run of runs) {
        const s = state.get(run.current.name);
        if (s) s.nextIndex += s.extra;
      }
      return runs;
    },
  };
}

/** Each micro scenario on the given sides (reference first, as for load scenarios). */
async function runMicro(context: ModeContext, sides: readonly MicroSide[]): Promise<MicroOutcome[][]> {
  const outcomes: MicroOutcome[][] = [];
  for (const { spec, hash } of context.micro) {
    if (context.signal.aborted) break;
    outcomes.push(
      await runMicroSides(spec, hash, sides, {
        signal: context.signal,
        log: context.log,
        ...(context.trials === null ? {} : { trials: context.trials }),
      }),
    );
  }
  return outcomes;
}

/**
 * On a count regression, the costliest functions of the regressed tasks on each side whose build
 * is at hand (both in an A/B run; this checkout's against committed baselines), stored with the
 * outcomes for the reports.
 */
async function explainCountRegressions(
  context: ModeContext,
  gate: GateReport | null,
  sides: ReadonlyArray<{ side: MicroSide; outcomes: readonly MicroOutcome[] }>,
): Promise<void> {
  if (gate === null || context.signal.aborted) return;
  const regressed = new Map<string, string[]>();
  for (const m of gate.metrics) {
    const key = parseMicroKey(m.metric);
    if (m.verdict !== 'regression' || key?.statistic !== 'instructions_per_op') continue;
    regressed.set(m.scenario, [...(regressed.get(m.scenario) ?? []), key.task]);
  }
  for (const [scenario, tasks] of regressed) {
    for (const { side, outcomes } of sides) {
      const outcome = outcomes.find((o) => o.name === scenario);
      if (outcome === undefined || context.signal.aborted) continue;
      outcome.topFunctions = await whereInstructionsWent(outcome.spec, tasks, side, { signal: context.signal, log: context.log });
    }
  }
}

const microPairs = (runs: readonly MicroOutcome[][]) =>
  runs.map(([reference, current]) => pairFromMicroOutcomes(reference as MicroOutcome, current as MicroOutcome));

const bothSides = (runs: readonly ScenarioRun[]) =>
  runs.flatMap((r) => (r.reference ? [{ reference: r.reference, current: r.current }] : []));

/** Same-machine A/B: `ref` built in a temporary worktree, its lab interleaved with this checkout's. */
export async function measureAgainstRef(context: ModeContext, ref: string): Promise<ModeResult> {
  const unbuilt = await buildCurrentTargets(context);
  if (unbuilt) return unbuilt;
  let prepared;
  try {
    // Micro scenarios measure the lab's own functions: they need the ref's build too.
    const buildLab = context.micro.length > 0 || context.scenarios.some((s) => s.spec.target.kind === 'lab');
    prepared = await prepareRef(ref, context.root, context.log, { buildLab });
  } catch (error) {
    if (error instanceof RefError) return { kind: 'unbuildable', message: error.message };
    throw error;
  }
  try {
    // The ref's own targets, built the same way in its worktree.
    const problem = await buildTargets(
      context.scenarios.map((s) => s.spec.target),
      prepared.projectRoot,
      context.log,
      ref,
    );
    if (problem !== null) {
      await prepared.remove();
      return { kind: 'unbuildable', message: `--against ${ref}: ${problem}` };
    }
    context.log(
      `${prepared.ref} is ready (${prepared.dependencies === 'shared' ? 'same lockfile: dependencies shared' : 'dependencies installed'})`,
    );
    const sides: SuiteSides = {
      reference: { label: 'baseline', labRoot: prepared.root, projectRoot: prepared.projectRoot },
      current: { label: 'current' },
    };
    const first = await runOn(context, sides);
    const runs = bothSides(first);
    const micro = await runMicro(context, [{ label: 'baseline', root: prepared.root }, { label: 'current' }]);
    const more = extender(context, sides, first);
    const gate = await decideGate({
      mode: 'against',
      reference: `git ref ${prepared.ref} (${prepared.commit.slice(0, 12)})`,
      referenceCommit: prepared.commit,
      pairs: [...runs.map((r) => pairFromOutcomes(r.reference, r.current)), ...microPairs(micro)],
      machineNote: null,
      extend: async (names) => bothSides(await more.extend(names)).map((r) => pairFromOutcomes(r.reference, r.current)),
      fits: more.fits,
      extendable: more.has,
      maxLooks: context.maxLooks,
      signal: context.signal,
      log: context.log,
    });
    await explainCountRegressions(context, gate, [
      { side: { label: 'baseline', root: prepared.root }, outcomes: micro.map(([reference]) => reference as MicroOutcome) },
      { side: { label: 'current' }, outcomes: micro.map(([, current]) => current as MicroOutcome) },
    ]);
    const root = prepared.root;
    const commit = prepared.commit;
    return {
      kind: 'measured',
      scenarios: runs.map((r) => r.current),
      micro: micro.map(([, current]) => current as MicroOutcome),
      reference: {
        label: 'baseline',
        ref: prepared.ref,
        commit,
        scenarios: runs.map((r) => r.reference),
        micro: micro.map(([reference]) => reference as MicroOutcome),
      },
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
  const unbuilt = await buildCurrentTargets(context);
  if (unbuilt) return unbuilt;
  const runs = bothSides(await runOn(context, { reference: { label: 'A' }, current: { label: 'B' } }));
  const micro = await runMicro(context, [{ label: 'A' }, { label: 'B' }]);
  const pairs = [...runs.map((r) => pairFromOutcomes(r.reference, r.current)), ...microPairs(micro)];
  // A/A: every trial as planned, judged once; its noise is what calibration reports.
  const commit = context.environment.git.commit;
  const gate = await decideGate({
    mode: 'calibrate',
    reference: 'the same code (A/A)',
    referenceCommit: commit,
    pairs,
    machineNote: null,
    extend: null,
    fits: () => false,
    maxLooks: 1,
    signal: context.signal,
    log: context.log,
  });
  return {
    kind: 'measured',
    scenarios: runs.map((r) => r.current),
    micro: micro.map(([, current]) => current as MicroOutcome),
    reference: {
      label: 'A',
      ref: null,
      commit,
      scenarios: runs.map((r) => r.reference),
      micro: micro.map(([reference]) => reference as MicroOutcome),
    },
    gate,
    calibration: calibrate(pairs, DEFAULT_ALPHA, lookLevels(context.maxLooks, DEFAULT_ALPHA)[0]),
    baselineFor: () => ({ kind: 'built', label: 'A', root: PACKAGE_ROOT, commit }),
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
  const unbuilt = await buildCurrentTargets(context);
  if (unbuilt) return unbuilt;
  const current = { current: { label: 'current' } };
  const runs = await runOn(context, current);
  const micro = (await runMicro(context, [{ label: 'current' }])).map(([outcome]) => outcome as MicroOutcome);
  const more = extender(context, current, runs);
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
    pairs: [
      ...scenarios.map(pairWithBaseline),
      ...micro.map((m) => pairFromMicroBaseline(baselines.get(m.name) ?? null, m, context.environment)),
    ],
    machineNote: machineMismatch(first.environment, context.environment),
    extend: async (names) => (await more.extend(names)).map((r) => pairWithBaseline(r.current)),
    fits: more.fits,
    extendable: more.has,
    maxLooks: context.maxLooks,
    signal: context.signal,
    log: context.log,
  });
  await explainCountRegressions(context, gate, [{ side: { label: 'current' }, outcomes: micro }]);
  return { kind: 'measured', scenarios, micro, reference: null, gate, calibration: null, baselineFor, release: nothingToRelease };
}

/** This checkout alone: thresholds only (`--no-baseline`, `--update-baseline`). */
export async function measurePlain(context: ModeContext): Promise<ModeResult> {
  const unbuilt = await buildCurrentTargets(context);
  if (unbuilt) return unbuilt;
  const runs = await runOn(context, { current: { label: 'current' } });
  const micro = await runMicro(context, [{ label: 'current' }]);
  return {
    kind: 'measured',
    scenarios: runs.map((r) => r.current),
    micro: micro.map(([outcome]) => outcome as MicroOutcome),
    reference: null,
    gate: null,
    calibration: null,
    baselineFor: () => ({ kind: 'none', reason: 'nothing to compare against' }),
    release: nothingToRelease,
  };
}
