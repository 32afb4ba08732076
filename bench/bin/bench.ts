#!/usr/bin/env node
/**
 * `npm run bench`: runs the scenario suite against the lab, gates it against committed baselines
 * or another git ref, and reports. The measuring core is `runScenarioSides`, the deciding core
 * `evaluateGate`; this file is the shell around them (flags, progress, files, exit code).
 */
import { appendFile, symlink, unlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import {
  baselineRefusal,
  DEFAULT_BASELINES_DIR,
  listBaselines,
  readBaseline,
  toBaseline,
  writeBaselines,
  type BaselineFile,
} from '../../ci/baseline/store.js';
import { formatCalibrationTable, formatGateTable } from '../../ci/format/gate-table.js';
import { formatGateJunit } from '../../ci/format/junit.js';
import { formatGateMarkdown } from '../../ci/format/markdown.js';
import { calibrate } from '../../ci/gate/calibration.js';
import { mergeConfirmation, poolRerun, scenariosToConfirm } from '../../ci/gate/confirm.js';
import { evaluateGate, summarise, type ScenarioPair } from '../../ci/gate/evaluate.js';
import { machineMismatch, pairFromBaseline, pairFromOutcomes } from '../results/gate-inputs.js';
import type { GateMode, GateReport } from '../../ci/gate/types.js';
import { prepareRef, RefError, type PreparedRef } from '../process/git-worktree.js';
import { DEFAULT_ALPHA } from '../../ci/stats/index.js';
import { detectCpuPlan } from '../process/cpu-affinity.js';
import { EXIT, exitCodeFor } from '../results/exit-codes.js';
import { environmentFingerprint, MACHINE_ID_VARIABLE, type EnvironmentFingerprint } from '../results/fingerprint.js';
import { createProgressReporter } from '../format/progress.js';
import { formatRunSummary } from '../format/summary.js';
import { runProfilingStage, type BaselineSource } from '../profile/stage.js';
import { PROFILE_KINDS, type ProfileKind, type ProfilesReport } from '../profile/types.js';
import { writeReports } from '../report/write-report.js';
import { newRunId, RESULTS_SCHEMA_VERSION, writeResults, type BenchResults, type ScenarioOutcome } from '../results/results.js';
import type { Side } from '../run/run-scenario.js';
import { runSuite } from '../run/run-suite.js';
import type { ScenarioSpec } from '../scenario/schema.js';
import { loadSuite } from '../scenario/suite.js';

const USAGE = `Usage: npm run bench -- [options]

Starts the lab as a child process for each scenario, drives it with load from a separate
process, and reports client latency, server-side histograms per phase, and checksums. When
baselines exist (${DEFAULT_BASELINES_DIR}/), the run is gated against them: answers always,
latency only on the machine and boot that recorded them (or the same ${MACHINE_ID_VARIABLE}).

Selecting:
  --scenario NAME       run only this scenario (repeatable); a name in scenarios/ or a .yaml path
  --trials N            override every scenario's number of trials (per side)
  --list                list the scenarios and exit

Gating:
  --against REF         same-machine A/B: build git REF in a temporary worktree, run its lab next
                        to this one with interleaved trials (A B B A ...), and gate on the difference
  --calibrate           A/A run of this code against itself: this machine's noise per metric and
                        the smallest regression the gate can detect with these trials
  --update-baseline     record the run as the new baselines (needs --reason); refuses invalid runs
  --reason TEXT         why the baselines change (stored in them; reviewed in the diff)
  --no-baseline         do not compare with committed baselines
  --no-confirm          fail on the first suspected regression without re-running it
  --baselines-dir DIR   where baselines live (default: ${DEFAULT_BASELINES_DIR})

Profiling (separate runs after the measured trials; never timed, never gated):
  --profile KIND        profile each selected scenario's lab under its load and write the result
                        to <out>/<run-id>/profiles/<scenario>/: 0x (flamegraph), clinic-flame,
                        clinic-doctor (best effort), or cpuprofile (.cpuprofile + flamegraph)
                        On a regression verdict, CPU profiles of both sides and a differential
                        profile are captured automatically (--no-regression-profile: don't).

Output:
  --json                print results.json to stdout instead of tables (progress stays on stderr)
  --out DIR             where run folders go (default: reports)
  --scenarios-dir DIR   where scenario files are found (default: scenarios)
  -h, --help            show this help

Writes <out>/<run-id>/results.json (schema version ${RESULTS_SCHEMA_VERSION}) and the HTML report index.html
(plus <out>/index.html across runs; regenerate with npm run report); with a gate also summary.md
and junit.xml (and appends the summary to $GITHUB_STEP_SUMMARY when set). <out>/latest points
at the newest run.

Exit codes: 0 passed; 1 a threshold failed or a performance regression; 2 bad usage, scenario
or baseline file; 3 a run could not be trusted (invalid trials, crashed lab, unbuildable ref);
4 answers changed (checksum/digest) or disagreed; 130 interrupted.`;

interface Options {
  scenarios: string[];
  trials: number | null;
  json: boolean;
  out: string;
  scenariosDir: string;
  list: boolean;
  against: string | null;
  calibrate: boolean;
  updateBaseline: boolean;
  reason: string | null;
  compare: boolean;
  confirm: boolean;
  baselinesDir: string;
  profile: ProfileKind | null;
  regressionProfile: boolean;
}

function parseOptions(argv: string[]): Options | { help: true } | { error: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scenario: { type: 'string', multiple: true },
        trials: { type: 'string' },
        json: { type: 'boolean' },
        out: { type: 'string', default: 'reports' },
        'scenarios-dir': { type: 'string', default: 'scenarios' },
        list: { type: 'boolean' },
        against: { type: 'string' },
        calibrate: { type: 'boolean' },
        'update-baseline': { type: 'boolean' },
        reason: { type: 'string' },
        'no-baseline': { type: 'boolean' },
        'no-confirm': { type: 'boolean' },
        'no-regression-profile': { type: 'boolean' },
        'baselines-dir': { type: 'string', default: DEFAULT_BASELINES_DIR },
        profile: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    return { error: (error as Error).message.replaceAll('\n', ' ') };
  }
  if (values.help) return { help: true };
  let trials: number | null = null;
  if (values.trials !== undefined) {
    trials = /^\d+$/.test(values.trials) ? Number(values.trials) : Number.NaN;
    if (!(trials >= 1 && trials <= 100))
      return { error: `--trials: expected an integer in [1, 100], got ${JSON.stringify(values.trials)}` };
  }
  const modes = [
    values.against !== undefined && '--against',
    values.calibrate && '--calibrate',
    values['update-baseline'] && '--update-baseline',
  ].filter(Boolean);
  if (modes.length > 1) return { error: `${modes.join(' and ')} cannot be combined: pick one` };
  if (values.against !== undefined && values.against.trim() === '') return { error: '--against: expected a git ref, got ""' };
  const reason = values.reason?.trim() ?? null;
  if (values['update-baseline'] && !reason)
    return { error: '--update-baseline needs --reason "why the baselines change" (baselines are reviewed like code)' };
  if (reason !== null && !values['update-baseline']) return { error: '--reason only applies to --update-baseline' };
  const profile = values.profile ?? null;
  if (profile !== null && !(PROFILE_KINDS as readonly string[]).includes(profile)) {
    return { error: `--profile: expected one of ${PROFILE_KINDS.join(', ')}, got ${JSON.stringify(profile)}` };
  }
  return {
    scenarios: values.scenario ?? [],
    trials,
    json: values.json ?? false,
    out: values.out,
    scenariosDir: values['scenarios-dir'],
    list: values.list ?? false,
    against: values.against ?? null,
    calibrate: values.calibrate ?? false,
    updateBaseline: values['update-baseline'] ?? false,
    reason,
    compare: !values['no-baseline'],
    confirm: !values['no-confirm'],
    baselinesDir: values['baselines-dir'],
    profile: profile as ProfileKind | null,
    regressionProfile: !values['no-regression-profile'],
  };
}

async function main(): Promise<number> {
  const parsed = parseOptions(process.argv.slice(2));
  if ('help' in parsed) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  if ('error' in parsed) return usageError(parsed.error);
  const options = parsed;

  const suite = await loadSuite(options.scenariosDir, options.scenarios);
  if (!suite.ok) {
    for (const error of suite.errors) process.stderr.write(`bench: ${error}\n`);
    return EXIT.usage;
  }
  if (options.list) {
    for (const { spec } of suite.scenarios) process.stdout.write(`${spec.name.padEnd(16)} ${spec.description}\n`);
    return EXIT.ok;
  }

  // Baselines are read (and checked) before anything runs: a broken file is a usage error, now.
  const baselines = new Map<string, BaselineFile>();
  const gateBaselines = options.compare && !options.updateBaseline && !options.calibrate && options.against === null;
  if (gateBaselines) {
    for (const { spec } of suite.scenarios) {
      const loaded = await readBaseline(options.baselinesDir, spec.name);
      if (loaded.status === 'broken') return usageError(loaded.message);
      if (loaded.status === 'found') baselines.set(spec.name, loaded.baseline);
    }
  }

  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupt.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write(`\nbench: ${signal}: stopping the labs and the load, then writing partial results (again to force)\n`);
    interrupt.abort(new Error(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const started = new Date();
  const runId = newRunId(started);
  const environment = await environmentFingerprint(process.cwd());
  const progress = createProgressReporter();
  const log = (line: string) => {
    progress.done();
    process.stderr.write(`bench: ${line}\n`);
  };
  const run = (scenarios: typeof suite.scenarios, sides: readonly Side[]) =>
    runSuite(scenarios, sides, { trials: options.trials, signal: interrupt.signal, onEvent: (name, event) => progress.event(name, event) });

  let prepared: PreparedRef | null = null;
  let scenarios: ScenarioOutcome[];
  let reference: BenchResults['reference'] = null;
  let gate: GateReport | null = null;
  let calibration: BenchResults['calibration'] = null;
  let profiles: ProfilesReport | null = null;
  try {
    if (options.against !== null) {
      try {
        prepared = await prepareRef(options.against, process.cwd(), log);
      } catch (error) {
        if (!(error instanceof RefError)) throw error;
        process.stderr.write(`bench: ${error.message}\n`);
        return EXIT.invalidRun;
      }
      log(
        `${prepared.ref} is ready (${prepared.dependencies === 'shared' ? 'same lockfile: dependencies shared' : 'dependencies installed'})`,
      );
      const sides: Side[] = [{ label: 'baseline', labRoot: prepared.root }, { label: 'current' }];
      const outcomes = await run(suite.scenarios, sides);
      reference = {
        label: 'baseline',
        ref: prepared.ref,
        commit: prepared.commit,
        scenarios: outcomes.map((o) => o[0] as ScenarioOutcome),
      };
      scenarios = outcomes.map((o) => o[1] as ScenarioOutcome);
      const pairs = outcomes.map((o) => pairFromOutcomes(o[0] as ScenarioOutcome, o[1] as ScenarioOutcome));
      gate = await decide(
        'against',
        `git ref ${prepared.ref} (${prepared.commit.slice(0, 12)})`,
        prepared.commit,
        pairs,
        null,
        async (names) => {
          const again = await run(pick(suite.scenarios, names), sides);
          return again.map((o) => pairFromOutcomes(o[0] as ScenarioOutcome, o[1] as ScenarioOutcome));
        },
      );
    } else if (options.calibrate) {
      const outcomes = await run(suite.scenarios, [{ label: 'A' }, { label: 'B' }]);
      reference = { label: 'A', ref: null, commit: environment.git.commit, scenarios: outcomes.map((o) => o[0] as ScenarioOutcome) };
      scenarios = outcomes.map((o) => o[1] as ScenarioOutcome);
      calibration = calibrate(
        outcomes.map((o) => ({ a: o[0] as ScenarioOutcome, b: o[1] as ScenarioOutcome })),
        DEFAULT_ALPHA,
      );
      const pairs = outcomes.map((o) => pairFromOutcomes(o[0] as ScenarioOutcome, o[1] as ScenarioOutcome));
      gate = await decide('calibrate', 'the same code (A/A)', environment.git.commit, pairs, null, null);
    } else {
      scenarios = (await run(suite.scenarios, [{ label: 'current' }])).map((o) => o[0] as ScenarioOutcome);
      if (gateBaselines && baselines.size > 0) {
        const pairs = scenarios.map((s) => pairFromBaseline(baselines.get(s.name) ?? null, s, environment));
        const first = [...baselines.values()][0] as BaselineFile;
        const mismatch = machineMismatch(first.environment, environment);
        gate = await decide(
          'baseline',
          `${options.baselinesDir} (recorded ${first.recordedAt.slice(0, 10)} at ${first.git.commit?.slice(0, 12) ?? 'unknown commit'})`,
          first.git.commit,
          pairs,
          mismatch,
          async (names) => {
            const again = await run(pick(suite.scenarios, names), [{ label: 'current' }]);
            return again.map((o) =>
              pairFromBaseline(baselines.get((o[0] as ScenarioOutcome).name) ?? null, o[0] as ScenarioOutcome, environment),
            );
          },
        );
      } else if (gateBaselines && !options.json) {
        const recorded = await listBaselines(options.baselinesDir);
        log(
          recorded.length === 0
            ? `no baselines in ${options.baselinesDir}: not gating (record them with npm run baseline -- --reason "…")`
            : 'no baselines for these scenarios: not gating',
        );
      }
    }

    // Profiling (bench/profile): after the measured trials, in separate labs; before the A/B worktree goes.
    if (!interrupt.signal.aborted) {
      const ref = prepared;
      const baselineFor = (name: string): BaselineSource =>
        ref
          ? { kind: 'built', label: 'baseline', root: ref.root, commit: ref.commit }
          : options.calibrate
            ? { kind: 'built', label: 'A', root: process.cwd(), commit: environment.git.commit }
            : { kind: 'commit', label: 'baseline', commit: baselines.get(name)?.git.commit ?? null };
      profiles = await runProfilingStage({
        requested: options.profile,
        scenarios: suite.scenarios.map((s) => s.spec),
        gate: options.regressionProfile ? gate : null,
        baselineFor,
        current: { root: process.cwd(), commit: environment.git.commit, dirty: environment.git.dirty },
        context: { runDir: join(options.out, runId), cpuPlan: detectCpuPlan(), signal: interrupt.signal, log },
      });
    }
  } finally {
    progress.done();
    if (prepared) await prepared.remove();
  }

  const finished = new Date();
  const results: BenchResults = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationSeconds: (finished.getTime() - started.getTime()) / 1000,
    environment,
    options: { scenarios: suite.scenarios.map((s) => s.spec.name), trialsOverride: options.trials, interrupted: interrupt.signal.aborted },
    scenarios,
    reference,
    gate,
    calibration,
    ...(profiles ? { profiles } : {}),
  };
  const runDir = join(options.out, runId);
  const resultsPath = await writeResults(runDir, results);
  await pointLatestAt(options.out, runId);
  if (gate) await writeGateReports(runDir, gate, runId, profiles);
  // The HTML report (bench/report) is a view of results.json: a failure to draw it is not the run's failure.
  const report = await writeReports(runDir, options.out, results).catch((error: unknown) => {
    process.stderr.write(`bench: warning: the HTML report could not be written: ${(error as Error).message}\n`);
    return null;
  });

  let code = exitCodeFor(results);
  if (options.updateBaseline && code.code !== EXIT.interrupted) code = await updateBaselines(options, scenarios, environment, code);

  if (options.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    process.stdout.write(formatRunSummary(results, relative(process.cwd(), resultsPath)));
    if (calibration) process.stdout.write(`\n${formatCalibrationTable(calibration)}`);
    if (gate) process.stdout.write(`\n${formatGateTable(gate)}`);
    if (report) process.stdout.write(`\nreport: ${relative(process.cwd(), report.run)}\n`);
  }
  process.stderr.write(`bench: ${code.reason} (exit ${code.code})\n`);
  return code.code;

  /** Evaluates, re-runs suspected regressions once, and assembles the report. */
  async function decide(
    mode: GateMode,
    referenceText: string,
    referenceCommit: string | null,
    pairs: ScenarioPair[],
    machineNote: string | null,
    rerun: ((names: string[]) => Promise<ScenarioPair[]>) | null,
  ): Promise<GateReport> {
    let evaluation = evaluateGate(pairs, { alpha: DEFAULT_ALPHA });
    const suspects = scenariosToConfirm(evaluation.metrics);
    const confirmed: string[] = [];
    if (rerun && options.confirm && suspects.length > 0 && !interrupt.signal.aborted) {
      log(`suspected regression in ${suspects.join(', ')}: re-running to confirm`);
      const again = await rerun(suspects);
      const pooled = evaluateGate(poolRerun(pairs, again, { baselineRerun: mode !== 'baseline' }), { alpha: DEFAULT_ALPHA });
      const metrics = mergeConfirmation(evaluation.metrics, pooled.metrics);
      evaluation = { ...evaluation, metrics, summary: summarise(metrics, evaluation.correctness) };
      confirmed.push(...suspects);
    }
    return {
      mode,
      reference: referenceText,
      referenceCommit,
      machineMatches: machineNote === null,
      machineNote,
      alpha: DEFAULT_ALPHA,
      ...evaluation,
      confirmedByRerun: confirmed,
    };
  }
}

function pick<T extends { spec: ScenarioSpec }>(scenarios: readonly T[], names: readonly string[]): T[] {
  return scenarios.filter((s) => names.includes(s.spec.name));
}

async function updateBaselines(
  options: Options,
  scenarios: ScenarioOutcome[],
  environment: EnvironmentFingerprint,
  code: ReturnType<typeof exitCodeFor>,
): Promise<ReturnType<typeof exitCodeFor>> {
  const refusals = scenarios.map(baselineRefusal).filter((r): r is string => r !== null);
  if (refusals.length > 0 || code.code === EXIT.invalidRun || code.code === EXIT.correctness) {
    for (const refusal of refusals) process.stderr.write(`bench: not recording baselines: ${refusal}\n`);
    return {
      code: code.code === EXIT.correctness ? EXIT.correctness : EXIT.invalidRun,
      reason: 'baselines NOT updated: the run cannot be trusted',
    };
  }
  if (environment.git.dirty)
    process.stderr.write('bench: note: the working tree has uncommitted changes; the baselines record the commit they were measured on\n');
  const now = new Date();
  const written = await writeBaselines(
    options.baselinesDir,
    scenarios.map((s) => toBaseline(s, environment, options.reason ?? '', now)),
  );
  for (const path of written) process.stderr.write(`bench: wrote ${path}\n`);
  process.stderr.write(`bench: review with: git diff ${options.baselinesDir}\n`);
  // Thresholds still report, but a baseline update is about recording, not gating.
  return { code: EXIT.ok, reason: `baselines updated (${written.length} scenario(s))` };
}

/** summary.md, junit.xml, and the GitHub step summary when running in Actions. */
async function writeGateReports(runDir: string, gate: GateReport, runId: string, profiles: ProfilesReport | null): Promise<void> {
  const markdown = formatGateMarkdown(gate, runId, profiles?.differentials ?? []);
  await writeFile(join(runDir, 'summary.md'), markdown);
  await writeFile(join(runDir, 'junit.xml'), formatGateJunit(gate, runId));
  const stepSummary = process.env.GITHUB_STEP_SUMMARY;
  if (stepSummary) await appendFile(stepSummary, `${markdown}\n`).catch(() => {});
}

/** `<out>/latest` -> the newest run folder, so scripts and people can find it. Best effort. */
async function pointLatestAt(outDir: string, runId: string): Promise<void> {
  const link = join(outDir, 'latest');
  try {
    await unlink(link).catch(() => {});
    await symlink(runId, link);
  } catch {
    // A filesystem without symlinks loses only the convenience.
  }
}

function usageError(message: string): number {
  process.stderr.write(`bench: ${message} (see --help)\n`);
  return EXIT.usage;
}

process.exitCode = await main();
