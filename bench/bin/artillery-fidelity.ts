#!/usr/bin/env node
/**
 * `npm run bench:artillery-fidelity`: where Artillery measures latency differently from our
 * generator, measured rather than assumed. Both drive the same lab at a scenario's rate, in
 * alternating rounds, in 10 s windows (Artillery's report periods; ours the same length), and the
 * tables show each tool's percentiles with their spread and Artillery's relative to ours with 95%
 * intervals. Not a test: it prints numbers, and a busy machine moves them.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isEntryPoint, oneLine, parseWholeNumber, runCli, USAGE_EXIT_CODE, type Parsed } from '../../lib/cli.js';
import { runArtillery } from '../artillery/artillery-process.js';
import { compareTools, formatComparison, type WindowValues } from '../artillery/compare.js';
import { importArtilleryReport } from '../artillery/import.js';
import { parseArtilleryReport } from '../artillery/report.js';
import { ARTILLERY_PERIOD_SECONDS, buildArtilleryScript, renderArtilleryYaml } from '../artillery/script.js';
import { runLoad } from '../load/run-load.js';
import type { LatencySummary } from '../load/types.js';
import { commandExists } from '../process/command.js';
import { detectCpuPlan, pinProcess } from '../process/cpu-affinity.js';
import { startLabProcess } from '../process/lab-process.js';
import { loadPlan } from '../run/run-scenario.js';
import { loadSuite } from '../scenario/suite.js';

const TOOL = 'artillery-fidelity';

export const DEFAULTS = { scenario: 'mixed', scenariosDir: 'scenarios', rounds: 2, windows: 3 } as const;

const usage = () => `Usage: npm run bench:artillery-fidelity -- [options]

Runs our load generator and Artillery against the same lab at a scenario's rate, alternating
rounds, in ${ARTILLERY_PERIOD_SECONDS} s windows, and prints both tools' percentiles (median and range over the windows),
Artillery's relative to ours with 95% intervals, and each tool's window-to-window noise.

  --scenario NAME        an open-model scenario (default ${DEFAULTS.scenario}); a name in scenarios/ or a .yaml path
  --scenarios-dir DIR    where scenario files are found (default ${DEFAULTS.scenariosDir})
  --rounds N             rounds per tool, alternating which goes first (default ${DEFAULTS.rounds})
  --windows N            ${ARTILLERY_PERIOD_SECONDS} s windows per round and tool (default ${DEFAULTS.windows})
  --json                 print every window as JSON instead of tables
  -h, --help             show this help

Needs artillery on PATH (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install -g artillery@2.0.21).
One round takes about (windows + 1) x ${ARTILLERY_PERIOD_SECONDS} s for Artillery (plus ~15 s to start and stop it) and windows x ${ARTILLERY_PERIOD_SECONDS} s for ours.
Exit codes: 0 done, 1 a run failed, 2 bad usage.`;

export interface Options {
  scenario: string;
  scenariosDir: string;
  rounds: number;
  windows: number;
  json: boolean;
}

/** Parses `npm run bench:artillery-fidelity` flags (pure). */
export function parseArtilleryFidelityArgs(argv: readonly string[]): Parsed<Options> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        scenario: { type: 'string', default: DEFAULTS.scenario },
        'scenarios-dir': { type: 'string', default: DEFAULTS.scenariosDir },
        rounds: { type: 'string', default: String(DEFAULTS.rounds) },
        windows: { type: 'string', default: String(DEFAULTS.windows) },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: oneLine(error) };
  }
  if (values.help) return { kind: 'help' };
  const rounds = parseWholeNumber('--rounds', values.rounds, 1, 20);
  if (!rounds.ok) return { kind: 'error', message: rounds.message };
  const windows = parseWholeNumber('--windows', values.windows, 1, 30);
  if (!windows.ok) return { kind: 'error', message: windows.message };
  return {
    kind: 'ok',
    options: {
      scenario: values.scenario,
      scenariosDir: values['scenarios-dir'],
      rounds: rounds.value,
      windows: windows.value,
      json: values.json,
    },
  };
}

const windowValues = (latency: LatencySummary): WindowValues => ({
  p50_ms: latency.p50Ms,
  p90_ms: latency.p90Ms,
  p95_ms: latency.p95Ms,
  p99_ms: latency.p99Ms,
  max_ms: latency.maxMs,
});

function log(line: string): void {
  process.stderr.write(`${TOOL}: ${line}\n`);
}

export async function main(options: Options): Promise<number> {
  if (!commandExists('artillery')) {
    process.stderr.write(
      `${TOOL}: expected artillery on PATH (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install -g artillery@2.0.21), found none\n`,
    );
    return USAGE_EXIT_CODE;
  }
  const suite = await loadSuite(options.scenariosDir, [options.scenario]);
  if (!suite.ok) {
    for (const error of suite.errors) process.stderr.write(`${TOOL}: ${error}\n`);
    return USAGE_EXIT_CODE;
  }
  const [{ spec, hash }] = suite.scenarios as [(typeof suite.scenarios)[number]];
  // The lab on its CPU, both clients (this process's load worker and Artillery) on the others.
  const cpus = detectCpuPlan();
  if (cpus.generatorCpus !== null) await pinProcess(process.pid, cpus.generatorCpus);
  const lab = await startLabProcess({ args: [...spec.serverArgs, '--log-level', 'warn'], cpus: cpus.labCpus });
  const dir = await mkdtemp(join(tmpdir(), 'metric-lab-artillery-fidelity-'));
  const loadBefore = loadavg()[0] ?? 0;
  const oursIntended: WindowValues[] = [];
  const oursService: WindowValues[] = [];
  const artillery: WindowValues[] = [];
  try {
    const exported = buildArtilleryScript(spec, { targetUrl: lab.appUrl, trials: options.windows, count: 1 });
    if (!exported.ok) {
      process.stderr.write(`${TOOL}: ${exported.message}\n`);
      return USAGE_EXIT_CODE;
    }
    const script = join(dir, 'script.yml');
    await writeFile(script, renderArtilleryYaml(spec, exported, { targetUrl: lab.appUrl, trials: options.windows, count: 1 }));

    const runOurs = async (round: number) => {
      if (spec.load.warmupSeconds > 0) await runLoad(loadPlan(spec, lab.appUrl, spec.load.warmupSeconds, spec.load.seed));
      for (let w = 0; w < options.windows; w++) {
        const result = await runLoad(loadPlan(spec, lab.appUrl, ARTILLERY_PERIOD_SECONDS, spec.load.seed + round * 1000 + w));
        oursIntended.push(windowValues(result.latency));
        oursService.push(windowValues(result.serviceTime));
        log(
          `round ${round}: ours window ${w + 1}: p95 ${result.latency.p95Ms.toFixed(1)} ms (service time ${result.serviceTime.p95Ms.toFixed(1)})`,
        );
      }
    };
    const runTheirs = async (round: number): Promise<boolean> => {
      const report = join(dir, `report-${round}.json`);
      const timeoutMs = (spec.load.warmupSeconds + (options.windows + 1) * ARTILLERY_PERIOD_SECONDS + 90) * 1000;
      const run = await runArtillery(['run', script, '--output', report], { cwd: dir, cpus: cpus.generatorCpus, timeoutMs });
      // 1: an ensure check failed, which is a finding here, not a failure of the run.
      if (run.code !== 0 && run.code !== 1) {
        process.stderr.write(`${TOOL}: artillery exited with ${run.code}:\n${run.output.slice(-2000)}\n`);
        return false;
      }
      const parsed = parseArtilleryReport(await readFile(report, 'utf8'), report);
      if (!parsed.ok) {
        process.stderr.write(`${TOOL}: ${parsed.reason}\n`);
        return false;
      }
      const { outcome, leftOut } = importArtilleryReport(parsed.report, spec, hash);
      for (const trial of outcome.trials) artillery.push(windowValues(trial.client.latency));
      log(
        `round ${round}: artillery: ${outcome.trials.length} period(s), p95 ${outcome.trials.map((t) => t.client.latency.p95Ms).join(', ')} ms${leftOut.length > 0 ? ` (left out: ${leftOut.join('; ')})` : ''}`,
      );
      return true;
    };
    for (let round = 1; round <= options.rounds; round++) {
      // Alternate which tool goes first, so drift over the run hits both alike.
      if (round % 2 === 1) {
        await runOurs(round);
        if (!(await runTheirs(round))) return 1;
      } else {
        if (!(await runTheirs(round))) return 1;
        await runOurs(round);
      }
    }
  } finally {
    await lab.stop();
    await rm(dir, { recursive: true, force: true });
  }
  const loadAverage1m = { before: loadBefore, after: loadavg()[0] ?? 0 };
  const rows = compareTools({ oursIntended, oursService, artillery });
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ scenario: spec.name, loadAverage1m, windows: { oursIntended, oursService, artillery }, rows }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(
      `${spec.name}: open ${spec.load.rateRps} req/s against one lab${cpus.labCpus === null ? ' (not pinned)' : ` on CPU ${cpus.labCpus}, clients on CPU ${cpus.generatorCpus}`}; ` +
        `${options.rounds} alternating round(s) x ${options.windows} window(s) of ${ARTILLERY_PERIOD_SECONDS} s per tool; ` +
        `1-min load average ${loadAverage1m.before.toFixed(2)} before, ${loadAverage1m.after.toFixed(2)} after.\n\n${formatComparison(rows)}`,
    );
  }
  return 0;
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runCli({ tool: TOOL, usage, parse: parseArtilleryFidelityArgs, main });
