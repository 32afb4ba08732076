#!/usr/bin/env node
/**
 * `npm run bench`: runs the scenario suite against the lab, gates it against committed baselines
 * or another git ref, and reports. The measuring core is `runScenarioSides` (bench/run), the
 * deciding core `evaluateGate` (ci/gate); this file is the shell around them: flags, the mode,
 * files, output and the exit code.
 */
import { appendFile, readFile, symlink, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_BASELINES_DIR, listBaselines, readBaseline, writeBaselines, type BaselineFile } from '../../ci/baseline/store.js';
import { formatCalibrationTable, formatGateTable } from '../../ci/format/gate-table.js';
import { formatFractionPercent } from '../../ci/format/values.js';
import type { CalibrationReport } from '../../ci/gate/calibration.js';
import { formatGateJunit } from '../../ci/format/junit.js';
import { MACHINE_ID_VARIABLE, type EnvironmentFingerprint } from '../../ci/gate/machine.js';
import type { GateReport } from '../../ci/gate/types.js';
import { writeFileAtomically } from '../../lib/atomic-file.js';
import { isEntryPoint, oneLine, parseWholeNumber, runCli, usageError, type Parsed } from '../../lib/cli.js';
import { formatInstructionTops, instructionTops, type InstructionTopEntry } from '../format/instruction-top.js';
import { createProgressReporter } from '../format/progress.js';
import { formatRunMarkdown } from '../format/summary-markdown.js';
import { formatRunSummary } from '../format/summary.js';
import { detectCpuPlan } from '../process/cpu-affinity.js';
import { PACKAGE_ROOT } from '../process/own-files.js';
import { watchParent } from '../../lib/parent-watch.js';
import { missingProfilerPackage } from '../profile/optional-packages.js';
import { runProfilingStage } from '../profile/stage.js';
import { PROFILE_KINDS, type ProfileKind, type ProfilesReport } from '../profile/types.js';
import { writeReports } from '../report/write-report.js';
import { baselineRefusal, microBaselineRefusal, toBaseline, toMicroBaseline } from '../results/baseline-record.js';
import type { MicroOutcome } from '../results/micro-outcome.js';
import { EXIT, exitCodeFor } from '../results/exit-codes.js';
import { environmentFingerprint } from '../results/fingerprint.js';
import { newRunId, RESULTS_SCHEMA_VERSION, writeResults, type BenchResults, type ScenarioOutcome } from '../results/results.js';
import {
  measureAgainstBaselines,
  measureAgainstRef,
  measureCalibration,
  measurePlain,
  type ModeContext,
  type ModeResult,
} from '../run/modes.js';
import { exportArtillery, importArtillery } from '../artillery/commands.js';
import { parseArtilleryFlags, type ArtilleryCommand } from '../artillery/flags.js';
import { withMargins } from '../scenario/margins-file.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { loadSuite } from '../scenario/suite.js';

export const TOOL = 'bench';

/** Defaults, once: the parser and the help text both read them. */
export const DEFAULTS = {
  out: 'reports',
  scenariosDir: 'scenarios',
  baselinesDir: DEFAULT_BASELINES_DIR,
  // Looks and budget: the default suite's first look takes ~166 s A/B on a 2-vCPU VM, and 1 unchanged
  // run in 3 left a metric undecided there; 210 s leaves room for one more look at one scenario
  // (~35 s) (README, "The suite and the gate").
  maxLooks: 3,
  budgetSeconds: 210,
} as const;
const TRIALS_RANGE = { min: 1, max: 100 } as const;

/** The help text; `invocation` is how the user started it (`npm run bench --`, `metric-lab bench`). */
export const usage = (invocation = 'npm run bench --') => `Usage: ${invocation} [options]

Starts each scenario's target as a child process — the built-in lab, or the service its
target: block names (built and started by its commands, read through its Prometheus endpoint) —
drives it with load from a separate process, and reports client latency, server-side histograms
per phase, and answers (checksums, status codes, body digests). Micro scenarios (kind: micro)
time the lab's pure functions (tinybench) and count their instructions under callgrind
(valgrind; skipped with one line where it is missing). When
baselines exist (${DEFAULTS.baselinesDir}/), the run is gated against them: answers always,
latency only on the machine and boot that recorded them (or the same ${MACHINE_ID_VARIABLE}).

Selecting:
  --scenario NAME       run only this scenario (repeatable); a name in scenarios/ or a .yaml path
  --trials N            override every scenario's number of trials (per side; ${TRIALS_RANGE.min}-${TRIALS_RANGE.max})
  --list                list the scenarios and exit

Gating:
  --against REF         same-machine A/B: build git REF in a temporary worktree, run its lab next
                        to this one with interleaved trials (A B B A ...), and gate on the difference
  --calibrate           A/A run of this code against itself: this machine's noise per metric, the
                        smallest regression the gate can detect with these trials, and the margin
                        that noise supports (unchanged code passes in 95% of runs)
  --write-margins       with --calibrate: write those margins, with their reasons as comments, into
                        the scenario files' gate: sections (review with git diff scenarios/)
  --update-baseline     record the run as the new baselines (needs --reason); refuses invalid runs
  --reason TEXT         why the baselines change (stored in them; reviewed in the diff)
  --no-baseline         do not compare with committed baselines
  --max-looks N         looks the gate may take (default ${DEFAULTS.maxLooks}): while a metric is undecided,
                        its scenario gets more trials and is judged again, α spent over the looks
  --budget-seconds N    wall time (from the start) within which extra trials must fit (default
                        ${DEFAULTS.budgetSeconds})
  --no-confirm          decide on the first trials only (= --max-looks 1)
  --baselines-dir DIR   where baselines live (default: ${DEFAULTS.baselinesDir})

Profiling (separate runs after the measured trials; never timed, never gated):
  --profile KIND        profile each selected scenario's lab under its load and write the result
                        to <out>/<run-id>/profiles/<scenario>/: 0x (flamegraph), clinic-flame,
                        clinic-doctor (best effort), or cpuprofile (.cpuprofile + flamegraph)
                        On a regression verdict, CPU profiles of both sides and a differential
                        profile are captured automatically (--no-regression-profile: don't).

Artillery (a distributed load engine; see the README):
  --export artillery    write an Artillery script reproducing the one --scenario (to --out FILE, or
                        stdout); what it cannot reproduce is listed on stderr
  --target-url URL      with --export: the system to load (default: a local lab; its command is printed)
  --count N             with --export: the script will run as N copies (artillery run-fargate
                        --count N), each at 1/N of the scenario's rate
  --import artillery REPORT.json
                        turn an Artillery JSON report (artillery run --output) into a run of the one
                        --scenario: 10 s periods as trials, thresholds, the gate against committed
                        baselines (answers only: latency is measured differently) or --against-report
  --against-report OTHER.json
                        with --import: gate against another imported Artillery run

Output:
  --json                print results.json to stdout instead of tables (progress stays on stderr)
  --out DIR             where run folders go (default: ${DEFAULTS.out}); with --export artillery: the script's file
  --scenarios-dir DIR   where scenario files are found (default: ${DEFAULTS.scenariosDir})
  -h, --help            show this help

Writes <out>/<run-id>/results.json (schema version ${RESULTS_SCHEMA_VERSION}) and the HTML report index.html
(plus <out>/index.html across runs; regenerate with npm run report); with a gate also summary.md
and junit.xml (and appends the summary to $GITHUB_STEP_SUMMARY when set). <out>/latest points
at the newest run.

Exit codes: 0 passed; 1 a threshold failed or a performance regression; 2 bad usage, scenario
or baseline file; 3 a run could not be trusted (invalid trials, a lab or target that crashed or
never became ready, an unbuildable ref or target); 4 answers changed (checksum, digest, status)
or disagreed; 130 interrupted.`;

export interface BenchOptions {
  scenarios: string[];
  trials: number | null;
  json: boolean;
  out: string;
  scenariosDir: string;
  list: boolean;
  /** The gate's reference: another git ref, an A/A run of this code, committed baselines, or nothing. */
  mode:
    | { kind: 'against'; ref: string }
    | { kind: 'calibrate'; writeMargins: boolean }
    | { kind: 'update-baseline'; reason: string }
    | { kind: 'baselines' }
    | { kind: 'plain' };
  /** Looks the gate may take (1: decide on the first trials). */
  maxLooks: number;
  budgetSeconds: number;
  baselinesDir: string;
  profile: ProfileKind | null;
  regressionProfile: boolean;
  /** `--export artillery` / `--import artillery` (bench/artillery); absent for a measured run. */
  artillery?: ArtilleryCommand;
}

/** Parses `npm run bench` flags (pure). */
export function parseBenchArgs(argv: readonly string[]): Parsed<BenchOptions> {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: {
        scenario: { type: 'string', multiple: true },
        trials: { type: 'string' },
        json: { type: 'boolean' },
        out: { type: 'string' },
        'scenarios-dir': { type: 'string', default: DEFAULTS.scenariosDir },
        list: { type: 'boolean' },
        against: { type: 'string' },
        calibrate: { type: 'boolean' },
        'write-margins': { type: 'boolean' },
        'update-baseline': { type: 'boolean' },
        reason: { type: 'string' },
        'no-baseline': { type: 'boolean' },
        'no-confirm': { type: 'boolean' },
        'max-looks': { type: 'string' },
        'budget-seconds': { type: 'string' },
        'no-regression-profile': { type: 'boolean' },
        'baselines-dir': { type: 'string', default: DEFAULTS.baselinesDir },
        profile: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        export: { type: 'string' },
        import: { type: 'string' },
        'target-url': { type: 'string' },
        count: { type: 'string' },
        'against-report': { type: 'string' },
      },
      // Only `--import artillery REPORT.json` takes one; refused below otherwise.
      allowPositionals: true,
    }));
  } catch (error) {
    return { kind: 'error', message: oneLine(error) };
  }
  if (values.help) return { kind: 'help' };
  const artillery = parseArtilleryFlags(values, positionals);
  if (artillery !== null && 'message' in artillery) return { kind: 'error', message: artillery.message };
  let trials: number | null = null;
  if (values.trials !== undefined) {
    const parsed = parseWholeNumber('--trials', values.trials, TRIALS_RANGE.min, TRIALS_RANGE.max);
    if (!parsed.ok) return { kind: 'error', message: parsed.message };
    trials = parsed.value;
  }
  let maxLooks: number = DEFAULTS.maxLooks;
  if (values['max-looks'] !== undefined) {
    const parsed = parseWholeNumber('--max-looks', values['max-looks'], 1, 10);
    if (!parsed.ok) return { kind: 'error', message: parsed.message };
    maxLooks = parsed.value;
  }
  if (values['no-confirm']) {
    if (values['max-looks'] !== undefined && maxLooks !== 1)
      return { kind: 'error', message: '--no-confirm means --max-looks 1: give one of them' };
    maxLooks = 1;
  }
  let budgetSeconds: number = DEFAULTS.budgetSeconds;
  if (values['budget-seconds'] !== undefined) {
    const parsed = parseWholeNumber('--budget-seconds', values['budget-seconds'], 1, 86_400);
    if (!parsed.ok) return { kind: 'error', message: parsed.message };
    budgetSeconds = parsed.value;
  }
  const modes = [
    values.against !== undefined && '--against',
    values.calibrate && '--calibrate',
    values['update-baseline'] && '--update-baseline',
  ].filter(Boolean);
  if (modes.length > 1) return { kind: 'error', message: `${modes.join(' and ')} cannot be combined: pick one` };
  if (values.against !== undefined && values.against.trim() === '')
    return { kind: 'error', message: '--against: expected a git ref, got ""' };
  const reason = values.reason?.trim() ?? null;
  if (values['update-baseline'] && !reason) {
    return { kind: 'error', message: '--update-baseline needs --reason "why the baselines change" (baselines are reviewed like code)' };
  }
  if (reason !== null && !values['update-baseline']) return { kind: 'error', message: '--reason only applies to --update-baseline' };
  if (values['write-margins'] && !values.calibrate)
    return { kind: 'error', message: '--write-margins only applies to --calibrate (margins come from an A/A run)' };
  const profile = values.profile ?? null;
  if (profile !== null && !(PROFILE_KINDS as readonly string[]).includes(profile)) {
    return { kind: 'error', message: `--profile: expected one of ${PROFILE_KINDS.join(', ')}, got ${JSON.stringify(profile)}` };
  }
  const mode: BenchOptions['mode'] =
    values.against !== undefined
      ? { kind: 'against', ref: values.against }
      : values.calibrate
        ? { kind: 'calibrate', writeMargins: values['write-margins'] ?? false }
        : values['update-baseline']
          ? { kind: 'update-baseline', reason: reason ?? '' }
          : values['no-baseline']
            ? { kind: 'plain' }
            : { kind: 'baselines' };
  return {
    kind: 'ok',
    options: {
      scenarios: values.scenario ?? [],
      trials,
      json: values.json ?? false,
      out: values.out ?? DEFAULTS.out,
      scenariosDir: values['scenarios-dir'],
      list: values.list ?? false,
      mode,
      maxLooks,
      budgetSeconds,
      baselinesDir: values['baselines-dir'],
      profile: profile as ProfileKind | null,
      regressionProfile: !values['no-regression-profile'],
      ...(artillery ? { artillery } : {}),
    },
  };
}

export async function main(options: BenchOptions): Promise<number> {
  const suite = await loadSuite(options.scenariosDir, options.scenarios);
  if (!suite.ok) {
    for (const error of suite.errors) process.stderr.write(`${TOOL}: ${error}\n`);
    return EXIT.usage;
  }
  if (options.list) {
    for (const { spec } of suite.scenarios) process.stdout.write(`${spec.name.padEnd(16)} ${spec.description}\n`);
    for (const { spec } of suite.micro) process.stdout.write(`${spec.name.padEnd(16)} [micro] ${spec.description}\n`);
    return EXIT.ok;
  }
  if (options.profile !== null && options.profile !== 'cpuprofile') {
    const missing = missingProfilerPackage(options.profile);
    if (missing) {
      process.stderr.write(`${TOOL}: --profile ${options.profile}: ${missing}\n`);
      return EXIT.usage;
    }
  }
  if (options.artillery) {
    if (suite.micro.length > 0)
      return usageError(TOOL, `${suite.micro[0]?.spec.name} is a micro scenario (kind: micro): Artillery drives load scenarios only`);
    return artilleryMain(options, options.artillery, suite.scenarios[0]);
  }

  // Baselines are read (and checked) before anything runs: a broken file is a usage error, now.
  const baselines = new Map<string, BaselineFile>();
  if (options.mode.kind === 'baselines') {
    for (const { spec } of [...suite.scenarios, ...suite.micro]) {
      const loaded = await readBaseline(options.baselinesDir, spec.name);
      if (loaded.status === 'broken') return usageError(TOOL, loaded.message);
      if (loaded.status === 'found') baselines.set(spec.name, loaded.baseline);
    }
  }

  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupt.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write(`\n${TOOL}: ${signal}: stopping the labs and the load, then writing partial results (again to force)\n`);
    interrupt.abort(new Error(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Whatever killed our parent (npm, a CI step) must stop the run too: partial results, no baseline update.
  watchParent((pid) => {
    if (interrupt.signal.aborted) return;
    process.stderr.write(
      `\n${TOOL}: the process that started this run (pid ${pid}) is gone: stopping the labs and the load, writing partial results\n`,
    );
    interrupt.abort(new Error('parent exited'));
  });

  const started = new Date();
  const runId = newRunId(started);
  const environment = await environmentFingerprint(process.cwd());
  const progress = createProgressReporter();
  const log = (line: string) => {
    progress.done();
    process.stderr.write(`${TOOL}: ${line}\n`);
  };
  const context: ModeContext = {
    scenarios: suite.scenarios,
    micro: suite.micro,
    trials: options.trials,
    maxLooks: options.maxLooks,
    deadlineMs: performance.now() + options.budgetSeconds * 1000,
    environment,
    root: process.cwd(),
    signal: interrupt.signal,
    log,
    onEvent: (name, event) => progress.event(name, event),
  };

  let measured: Extract<ModeResult, { kind: 'measured' }>;
  let profiles: ProfilesReport | null = null;
  try {
    const result = await measure(options, context, baselines);
    if (result.kind === 'unbuildable') {
      process.stderr.write(`${TOOL}: ${result.message}\n`);
      return EXIT.invalidRun;
    }
    measured = result;
    try {
      // Profiling (bench/profile): after the measured trials, in separate labs; before the A/B worktree goes.
      if (!interrupt.signal.aborted) {
        profiles = await runProfilingStage({
          requested: options.profile,
          scenarios: suite.scenarios.map((s) => s.spec),
          gate: options.regressionProfile ? measured.gate : null,
          baselineFor: measured.baselineFor,
          current: { root: PACKAGE_ROOT, commit: environment.git.commit, dirty: environment.git.dirty },
          context: { runDir: join(options.out, runId), cpuPlan: detectCpuPlan(), signal: interrupt.signal, log },
        });
      }
    } finally {
      await measured.release();
    }
  } finally {
    progress.done();
  }

  const { scenarios, micro, gate, calibration } = measured;
  const finished = new Date();
  const results: BenchResults = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationSeconds: (finished.getTime() - started.getTime()) / 1000,
    environment,
    options: {
      scenarios: [...suite.scenarios, ...suite.micro].map((s) => s.spec.name),
      trialsOverride: options.trials,
      interrupted: interrupt.signal.aborted,
    },
    scenarios,
    micro,
    reference: measured.reference,
    gate,
    calibration,
    ...(profiles ? { profiles } : {}),
  };
  const runDir = join(options.out, runId);
  const resultsPath = await writeResults(runDir, results);
  await pointLatestAt(options.out, runId);
  const tops = instructionTops([
    ...(results.reference ? [{ label: results.reference.label, outcomes: results.reference.micro }] : []),
    { label: results.reference?.label === 'A' ? 'B' : 'current', outcomes: micro },
  ]);
  if (gate) await writeGateReports(runDir, gate, runId, profiles, tops);
  // The HTML report (bench/report) is a view of results.json: a failure to draw it is not the run's failure.
  const report = await writeReports(runDir, options.out, results).catch((error: unknown) => {
    process.stderr.write(`${TOOL}: warning: the HTML report could not be written: ${(error as Error).message}\n`);
    return null;
  });

  let code = exitCodeFor(results);
  if (options.mode.kind === 'update-baseline' && code.code !== EXIT.interrupted) {
    code = await updateBaselines(options.baselinesDir, options.mode.reason, scenarios, micro, environment, code);
  }
  if (options.mode.kind === 'calibrate' && options.mode.writeMargins && calibration) {
    code = await writeCalibratedMargins([...suite.scenarios, ...suite.micro], calibration, started, code);
  }

  if (options.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    process.stdout.write(formatRunSummary(results, relative(process.cwd(), resultsPath)));
    if (calibration) process.stdout.write(`\n${formatCalibrationTable(calibration)}`);
    if (gate) process.stdout.write(`\n${formatGateTable(gate)}`);
    if (tops.length > 0) process.stdout.write(`\n${formatInstructionTops(tops)}\n`);
    if (report) process.stdout.write(`\nreport: ${relative(process.cwd(), report.run)}\n`);
  }
  process.stderr.write(`${TOOL}: ${code.reason} (exit ${code.code})\n`);
  return code.code;
}

/** `--export artillery` / `--import artillery` (bench/artillery): one scenario, no measured run. */
async function artilleryMain(
  options: BenchOptions,
  command: ArtilleryCommand,
  scenario: { spec: ScenarioSpec; hash: string } | undefined,
): Promise<number> {
  if (!scenario) return usageError(TOOL, 'no scenario selected');
  const log = (line: string) => process.stderr.write(`${TOOL}: ${line}\n`);
  if (command.kind === 'export') {
    const done = await exportArtillery(scenario.spec, { ...command, trials: options.trials }, log);
    return done.ok ? EXIT.ok : usageError(TOOL, done.message);
  }
  const imported = await importArtillery({
    reportPath: command.report,
    againstReportPath: command.againstReport,
    baselines: options.mode.kind === 'baselines',
    baselinesDir: options.baselinesDir,
    spec: scenario.spec,
    hash: scenario.hash,
    environment: await environmentFingerprint(process.cwd()),
    signal: new AbortController().signal,
    log,
  });
  if (!imported.ok) return usageError(TOOL, imported.message);
  // From here on, as for a measured run: the same files, views and exit code.
  const { results } = imported;
  const runDir = join(options.out, results.runId);
  const resultsPath = await writeResults(runDir, results);
  await pointLatestAt(options.out, results.runId);
  if (results.gate) await writeGateReports(runDir, results.gate, results.runId, null, [], imported.notes);
  const report = await writeReports(runDir, options.out, results).catch((error: unknown) => {
    log(`warning: the HTML report could not be written: ${(error as Error).message}`);
    return null;
  });
  const code = exitCodeFor(results);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    process.stdout.write(formatRunSummary(results, relative(process.cwd(), resultsPath)));
    process.stdout.write(`\n${imported.notes.map((note) => `note: ${note}`).join('\n')}\n`);
    if (results.gate) process.stdout.write(`\n${formatGateTable(results.gate)}`);
    if (report) process.stdout.write(`\nreport: ${relative(process.cwd(), report.run)}\n`);
  }
  log(`${code.reason} (exit ${code.code})`);
  return code.code;
}

/** Runs the suite the way the options ask. */
async function measure(options: BenchOptions, context: ModeContext, baselines: ReadonlyMap<string, BaselineFile>): Promise<ModeResult> {
  switch (options.mode.kind) {
    case 'against':
      return measureAgainstRef(context, options.mode.ref);
    case 'calibrate':
      return measureCalibration(context);
    case 'baselines':
      if (baselines.size > 0) return measureAgainstBaselines(context, baselines, options.baselinesDir);
      if (!options.json) context.log(await noBaselinesNote(options.baselinesDir));
      return measurePlain(context);
    case 'update-baseline':
    case 'plain':
      return measurePlain(context);
  }
}

async function noBaselinesNote(dir: string): Promise<string> {
  return (await listBaselines(dir)).length === 0
    ? `no baselines in ${dir}: not gating (record them with npm run baseline -- --reason "…")`
    : 'no baselines for these scenarios: not gating';
}

async function updateBaselines(
  dir: string,
  reason: string,
  scenarios: readonly ScenarioOutcome[],
  micro: readonly MicroOutcome[],
  environment: EnvironmentFingerprint,
  code: ReturnType<typeof exitCodeFor>,
): Promise<ReturnType<typeof exitCodeFor>> {
  const refusals = [...scenarios.map(baselineRefusal), ...micro.map(microBaselineRefusal)].filter((r): r is string => r !== null);
  if (refusals.length > 0 || code.code === EXIT.invalidRun || code.code === EXIT.correctness) {
    for (const refusal of refusals) process.stderr.write(`${TOOL}: not recording baselines: ${refusal}\n`);
    return {
      code: code.code === EXIT.correctness ? EXIT.correctness : EXIT.invalidRun,
      reason: 'baselines NOT updated: the run cannot be trusted',
    };
  }
  if (environment.git.dirty) {
    process.stderr.write(
      `${TOOL}: note: the working tree has uncommitted changes; the baselines record the commit they were measured on\n`,
    );
  }
  const now = new Date();
  const written = await writeBaselines(dir, [
    ...scenarios.map((s) => toBaseline(s, environment, reason, now)),
    ...micro.map((m) => toMicroBaseline(m, environment, reason, now)),
  ]);
  for (const path of written) process.stderr.write(`${TOOL}: wrote ${path}\n`);
  process.stderr.write(`${TOOL}: review with: git diff ${dir}\n`);
  // Thresholds still report, but a baseline update is about recording, not gating.
  return { code: EXIT.ok, reason: `baselines updated (${written.length} scenario(s))` };
}

/**
 * `--write-margins`: each paired row's proposed margin into its scenario file, the reason as the
 * line's comment. Only from a run that can be trusted: an interrupted or invalid A/A run would
 * write margins from noise it did not measure.
 */
async function writeCalibratedMargins(
  scenarios: ReadonlyArray<{ spec: { name: string; file: string } }>,
  calibration: CalibrationReport,
  started: Date,
  code: ReturnType<typeof exitCodeFor>,
): Promise<ReturnType<typeof exitCodeFor>> {
  if (code.code === EXIT.interrupted || code.code === EXIT.invalidRun) {
    process.stderr.write(`${TOOL}: not writing margins: the calibration run cannot be trusted\n`);
    return code;
  }
  const day = started.toISOString().slice(0, 10);
  let written = 0;
  for (const { spec } of scenarios) {
    const updates = calibration.rows.flatMap((row) =>
      row.scenario === spec.name && row.proposedMargin !== null
        ? [{ metric: row.metric, margin: formatFractionPercent(row.proposedMargin), reason: marginReason(row, day) }]
        : [],
    );
    if (updates.length === 0) continue;
    const edit = withMargins(await readFile(spec.file, 'utf8'), updates);
    if (!edit.ok) {
      process.stderr.write(`${TOOL}: ${spec.file}: not written: ${edit.reason}\n`);
      return { code: EXIT.usage, reason: 'margins NOT all written' };
    }
    await writeFileAtomically(spec.file, edit.text);
    written++;
    process.stderr.write(
      `${TOOL}: wrote margins to ${spec.file}${edit.changed.length > 0 ? ` (changed: ${edit.changed.join(', ')})` : ' (same values, reasons refreshed)'}\n`,
    );
  }
  if (written > 0)
    process.stderr.write(`${TOOL}: review with: git diff ${relative(process.cwd(), dirname(scenarios[0]?.spec.file ?? '.')) || '.'}\n`);
  return code;
}

function marginReason(row: CalibrationReport['rows'][number], day: string): string {
  const caught =
    row.caughtWithProposed === null
      ? 'cannot catch a change at these trials'
      : `catches ${formatFractionPercent(row.caughtWithProposed)} in 95% of runs`;
  const bound = row.sigmaLogUpper === null ? '' : `, planned on its 80% bound ${(row.sigmaLogUpper * 100).toFixed(1)}%`;
  return `calibrated ${day}: noise ${(row.sigmaLog * 100).toFixed(1)}% (A/A, ${row.trialsPerSide} paired trials${bound}); passes unchanged code in 95% of runs, ${caught}`;
}

/** summary.md, junit.xml, and the GitHub step summary when running in Actions. */
async function writeGateReports(
  runDir: string,
  gate: GateReport,
  runId: string,
  profiles: ProfilesReport | null,
  tops: readonly InstructionTopEntry[] = [],
  notes: readonly string[] = [],
): Promise<void> {
  const markdown = `${formatRunMarkdown(gate, runId, profiles?.differentials ?? [], tops)}${notes.length > 0 ? `\n${notes.map((note) => `> ${note}`).join('\n>\n')}\n` : ''}`;
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

if (isEntryPoint(import.meta.url)) process.exitCode = await runCli({ tool: TOOL, usage: () => usage(), parse: parseBenchArgs, main });
