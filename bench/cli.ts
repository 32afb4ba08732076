#!/usr/bin/env node
/**
 * `npm run bench`: runs the scenario suite against the lab and reports. The measuring core is
 * `runScenario`; this file is the shell around it (flags, progress, files, exit code).
 */
import { symlink, unlink } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { environmentFingerprint } from './fingerprint.js';
import { createProgressReporter } from './format/progress.js';
import { formatRunSummary } from './format/summary.js';
import { newRunId, RESULTS_SCHEMA_VERSION, writeResults, type BenchResults, type ScenarioOutcome } from './results.js';
import { runScenario } from './run-scenario.js';
import { loadSuite } from './scenario/suite.js';

const USAGE = `Usage: npm run bench -- [options]

Starts the lab as a child process for each scenario, drives it with load from a separate
process, and reports client latency, server-side histograms per phase, and checksums.

Options:
  --scenario NAME     run only this scenario (repeatable); a name in scenarios/ or a .yaml path
  --trials N          override every scenario's number of trials
  --json              print results.json to stdout instead of the table (progress stays on stderr)
  --out DIR           where run folders go (default: reports)
  --scenarios-dir DIR where scenario files are found (default: scenarios)
  --list              list the scenarios and exit
  -h, --help          show this help

Writes <out>/<run-id>/results.json (schema version ${RESULTS_SCHEMA_VERSION}) and points <out>/latest at it.

Exit codes: 0 all passed; 1 a threshold failed; 2 bad usage or scenario file;
3 a run could not be trusted (invalid trials, crashed lab); 4 inconsistent checksums;
130 interrupted.`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        scenario: { type: 'string', multiple: true },
        trials: { type: 'string' },
        json: { type: 'boolean' },
        out: { type: 'string', default: 'reports' },
        'scenarios-dir': { type: 'string', default: 'scenarios' },
        list: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    return usageError(`${(error as Error).message.replaceAll('\n', ' ')}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  let trialsOverride: number | null = null;
  if (values.trials !== undefined) {
    trialsOverride = /^\d+$/.test(values.trials) ? Number(values.trials) : Number.NaN;
    if (!(trialsOverride >= 1 && trialsOverride <= 100)) return usageError(`--trials: expected an integer in [1, 100], got ${JSON.stringify(values.trials)}`);
  }

  const suite = await loadSuite(values['scenarios-dir'], values.scenario ?? []);
  if (!suite.ok) {
    for (const error of suite.errors) process.stderr.write(`bench: ${error}\n`);
    return EXIT.usage;
  }
  if (values.list) {
    for (const { spec } of suite.scenarios) process.stdout.write(`${spec.name.padEnd(16)} ${spec.description}\n`);
    return EXIT.ok;
  }

  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupt.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write(`\nbench: ${signal}: stopping the lab and the load, then writing partial results (again to force)\n`);
    interrupt.abort(new Error(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const started = new Date();
  const runId = newRunId(started);
  const environment = await environmentFingerprint(process.cwd());
  const progress = createProgressReporter();
  const outcomes: ScenarioOutcome[] = [];
  for (const { spec, hash } of suite.scenarios) {
    if (interrupt.signal.aborted) break;
    outcomes.push(
      await runScenario(spec, hash, {
        ...(trialsOverride !== null ? { trials: trialsOverride } : {}),
        signal: interrupt.signal,
        onEvent: (event) => progress.event(spec.name, event),
      }),
    );
  }
  progress.done();

  const finished = new Date();
  const results: BenchResults = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationSeconds: (finished.getTime() - started.getTime()) / 1000,
    environment,
    options: { scenarios: suite.scenarios.map((s) => s.spec.name), trialsOverride, interrupted: interrupt.signal.aborted },
    scenarios: outcomes,
  };
  const runDir = join(values.out, runId);
  const resultsPath = await writeResults(runDir, results);
  await pointLatestAt(values.out, runId);

  if (values.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else process.stdout.write(formatRunSummary(results, relative(process.cwd(), resultsPath)));
  const { code, reason } = exitCodeFor(results);
  process.stderr.write(`bench: ${reason} (exit ${code})\n`);
  return code;
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
