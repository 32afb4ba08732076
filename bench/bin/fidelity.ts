#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { runLoad } from '../load/run-load.js';
import { summarizeMicros } from '../load/tally.js';
import type { LoadPlan, LoadResult } from '../load/types.js';
import { parseWrkOutput, type WrkSummary } from '../load/wrk-output.js';
import { median } from 'simple-statistics';
import { isEntryPoint, oneLine, runCli, USAGE_EXIT_CODE, type Parsed } from '../../lib/cli.js';
import { commandExists } from '../process/command.js';
import { detectCpuPlan, pinnedCommand, pinProcess } from '../process/cpu-affinity.js';
import { formatTail, startLabProcess } from '../process/lab-process.js';
import { supervise } from '../process/supervised-child.js';

/**
 * Benchmarks the load generator against Debian's wrk on this machine (not a test: it prints
 * numbers). The server gets CPU 0, wrk and our generator CPU 1, so neither steals the other's
 * core. Trials alternate between the tools; tables show the median trial.
 */

export const DEFAULTS = { durationSeconds: 4, trials: 3, connections: [4, 16, 64] } as const;

const usage = () => `Usage: npm run bench:fidelity -- [options]

Compares the load generator (bench/load) with wrk against the lab and a stalling server.

  --duration-seconds N   length of each measured run (whole seconds, default ${DEFAULTS.durationSeconds})
  --trials N             runs per tool and case, alternating tools; medians shown (default ${DEFAULTS.trials})
  --only LIST            comma-separated cases: fidelity,stall,capacity (default all)
  --connections LIST     connection counts for the capacity case (default ${DEFAULTS.connections.join(',')})
  --json                 print every trial as JSON instead of tables
  -h, --help             show this help

Needs wrk (Debian: apt-get install wrk). Exit codes: 0 done, 1 a run failed, 2 bad usage.`;

const TOOL = 'fidelity';

const CASES = ['fidelity', 'stall', 'capacity'] as const;
type CaseName = (typeof CASES)[number];

export interface Options {
  durationSeconds: number;
  trials: number;
  only: Set<CaseName>;
  connections: number[];
  json: boolean;
}

/** Parses `npm run bench:fidelity` flags (pure). */
export function parseFidelityArgs(argv: readonly string[]): Parsed<Options> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        'duration-seconds': { type: 'string', default: String(DEFAULTS.durationSeconds) },
        trials: { type: 'string', default: String(DEFAULTS.trials) },
        only: { type: 'string', default: CASES.join(',') },
        connections: { type: 'string', default: DEFAULTS.connections.join(',') },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: oneLine(error) };
  }
  if (values.help) return { kind: 'help' };
  const whole = (flag: string, text: string, max: number): number | string => {
    const n = Number(text);
    return Number.isInteger(n) && n >= 1 && n <= max ? n : `--${flag}: expected a whole number from 1 to ${max}, found "${text}"`;
  };
  const durationSeconds = whole('duration-seconds', values['duration-seconds'], 600);
  if (typeof durationSeconds === 'string') return { kind: 'error', message: durationSeconds };
  const trials = whole('trials', values.trials, 50);
  if (typeof trials === 'string') return { kind: 'error', message: trials };
  const only = new Set<CaseName>();
  for (const name of values.only.split(',')) {
    if (!(CASES as readonly string[]).includes(name))
      return { kind: 'error', message: `--only: expected some of ${CASES.join(',')}, found "${name}"` };
    only.add(name as CaseName);
  }
  const connections: number[] = [];
  for (const text of values.connections.split(',')) {
    const n = whole('connections', text, 1024);
    if (typeof n === 'string') return { kind: 'error', message: n };
    connections.push(n);
  }
  return { kind: 'ok', options: { durationSeconds, trials, only, connections, json: values.json } };
}

// ---- processes ----

const SERVER_CPU = '0';
const CLIENT_CPU = '1';

interface Server {
  url: string;
  stop(): Promise<unknown>;
}

/** The lab, pinned to the server CPU (bench/process: the same start, readiness and stop as every run). */
async function startLab(pin: boolean): Promise<Server> {
  const lab = await startLabProcess({ args: ['--log-level', 'warn'], cpus: pin ? SERVER_CPU : null });
  return { url: lab.appUrl, stop: () => lab.stop() };
}

/** A server that answers at once but blocks its event loop for `stallMs` every `everyMs`. */
const STALL_SERVER = `
import http from 'node:http';
const [stallMs, everyMs] = process.argv.slice(1).map(Number);
setInterval(() => { const until = performance.now() + stallMs; while (performance.now() < until) {} }, everyMs);
const server = http.createServer((req, res) => res.end('{"ok":true}'));
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + server.address().port })));
process.on('SIGTERM', () => process.exit(0));
`;
const STALL_MS = 200;
const STALL_EVERY_MS = 1_000;

async function startStallServer(pin: boolean): Promise<Server> {
  const launch = pinnedCommand(
    process.execPath,
    ['--input-type=module', '-e', STALL_SERVER, String(STALL_MS), String(STALL_EVERY_MS)],
    pin ? SERVER_CPU : null,
  );
  const child = spawn(launch.command, launch.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const supervised = supervise(child, 20);
  createInterface({ input: child.stderr }).on('line', supervised.remember);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the stall server did not start within 10 s${formatTail(supervised.recentOutput())}`)),
      10_000,
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      const found = /"url":"(http:[^"]+)"/.exec(line)?.[1];
      if (found === undefined) return supervised.remember(line);
      clearTimeout(timer);
      resolve(found);
    });
    void supervised.exited.then(() =>
      reject(new Error(`the stall server exited before listening${formatTail(supervised.recentOutput())}`)),
    );
  });
  return { url, stop: () => supervised.stop() };
}

interface WrkRun {
  summary: WrkSummary;
  /** wrk's user + system CPU, from bash's `time`. */
  cpuSeconds: number;
}

function runWrk(url: string, connections: number, durationSeconds: number): Promise<WrkRun> {
  const { command, args: argv } = pinnedCommand(
    'wrk',
    ['-t1', `-c${connections}`, `-d${durationSeconds}s`, '--latency', url],
    pinning ? CLIENT_CPU : null,
  );
  return new Promise((resolve, reject) => {
    const timed = ['-c', 'TIMEFORMAT="wrk-cpu %U %S"; time "$@"', 'bash', command, ...argv];
    const child = spawn('bash', timed, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('error', reject);
    child.once('close', () => {
      const parsed = parseWrkOutput(output);
      const cpu = /^wrk-cpu ([\d.]+) ([\d.]+)$/m.exec(output);
      if (parsed.ok) resolve({ summary: parsed.summary, cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : Number.NaN });
      else reject(new Error(parsed.reason));
    });
  });
}

const ours = (plan: LoadPlan): Promise<LoadResult> => runLoad(plan);

const variant = (path: string) => [{ name: 'case', path, weight: 1 }];

// ---- rows: one tool's view of one case ----

interface Row {
  tool: string;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  /** The client's own CPU per response: what it would cost to drive a faster server. */
  clientCpuUsPerRequest: number;
}

const wrkRow = (tool: string, { summary: s, cpuSeconds }: WrkRun): Row => ({
  tool,
  rps: s.requestsPerSecond,
  p50Ms: s.p50Ms,
  p90Ms: s.p90Ms,
  p99Ms: s.p99Ms,
  maxMs: s.maxMs,
  errors: s.non2xx3xx + s.socketErrors.connect + s.socketErrors.read + s.socketErrors.write + s.socketErrors.timeout,
  clientCpuUsPerRequest: (cpuSeconds * 1e6) / s.requests,
});

const ourRow = (tool: string, r: LoadResult, view: 'latency' | 'serviceTime' = 'latency'): Row => ({
  tool,
  rps: r.achievedRps,
  p50Ms: r[view].p50Ms,
  p90Ms: r[view].p90Ms,
  p99Ms: r[view].p99Ms,
  maxMs: r[view].maxMs,
  errors: r.errors,
  clientCpuUsPerRequest: (r.generatorCpuSeconds * 1e6) / r.completed,
});

/**
 * Our closed-model latencies with wrk's own after-the-fact coordinated-omission correction
 * applied (wrk 4's stats_correct: expected interval = run time / (responses / connections),
 * phantom samples for every slower one), to compare with wrk's output like for like.
 */
function wrkCorrectedRow(tool: string, r: LoadResult, connections: number): Row {
  const histogram = decodeFromCompressedBase64(r.latencyHistogram);
  const intervalUs = Math.round((r.durationSeconds * 1e6) / (r.completed / connections));
  const corrected = summarizeMicros(histogram.copyCorrectedForCoordinatedOmission(intervalUs));
  return { ...ourRow(tool, r), p50Ms: corrected.p50Ms, p90Ms: corrected.p90Ms, p99Ms: corrected.p99Ms, maxMs: corrected.maxMs };
}

/** Runs each tool once per trial, alternating, and returns every trial's rows per tool. */
/** Fields every plan of one case shares. */
type CaseBase = Pick<LoadPlan, 'baseUrl' | 'variants' | 'durationSeconds' | 'requestTimeoutMs' | 'seed'>;

/** Our closed model at `connections`, as measured and with wrk's own correction applied. */
async function oursClosed(base: CaseBase, connections: number): Promise<Row[]> {
  const result = await ours({ ...base, model: 'closed', connections });
  return [
    ourRow(`ours closed c=${connections}`, result),
    wrkCorrectedRow(`ours closed c=${connections} + wrk's correction`, result, connections),
  ];
}

/** Our open model at OPEN_RATE_RPS: latency from the intended send time, and service time. */
async function oursOpen(base: CaseBase, maxConnections: number): Promise<Row[]> {
  const result = await ours({ ...base, model: 'open', rateRps: OPEN_RATE_RPS, maxConnections });
  return [
    ourRow(`ours open ${OPEN_RATE_RPS}/s: latency`, result),
    ourRow(`ours open ${OPEN_RATE_RPS}/s: service time`, result, 'serviceTime'),
  ];
}

async function trials(count: number, tools: ReadonlyArray<() => Promise<Row[]>>): Promise<Row[][]> {
  const all: Row[][] = [];
  for (let trial = 0; trial < count; trial++) {
    const rows: Row[] = [];
    for (const tool of tools) rows.push(...(await tool()));
    all.push(rows);
    log(
      `  trial ${trial + 1}/${count}: ${rows.map((r) => `${r.tool} ${r.rps.toFixed(0)} req/s p50 ${r.p50Ms.toFixed(2)} p99 ${r.p99Ms.toFixed(2)}`).join(' | ')}`,
    );
  }
  return all;
}

function medianRows(all: Row[][]): Row[] {
  const first = all[0] ?? [];
  return first.map((row, index) => {
    const column = (key: keyof Omit<Row, 'tool'>) => median(all.map((rows) => rows[index]?.[key] ?? Number.NaN));
    return {
      tool: row.tool,
      rps: column('rps'),
      p50Ms: column('p50Ms'),
      p90Ms: column('p90Ms'),
      p99Ms: column('p99Ms'),
      maxMs: column('maxMs'),
      errors: column('errors'),
      clientCpuUsPerRequest: column('clientCpuUsPerRequest'),
    };
  });
}

// ---- the cases ----

interface CaseReport {
  name: string;
  description: string;
  trials: Row[][];
  median: Row[];
}

const FIDELITY_PATH = '/api/work?db_min_ms=0&db_max_ms=0&loop_iterations=200000';
const ZERO_WORK_PATH = '/api/work?db_min_ms=0&db_max_ms=0&loop_iterations=0';
const OPEN_RATE_RPS = 200;

async function fidelityCases(options: Options): Promise<CaseReport[]> {
  const d = options.durationSeconds;
  const lab = await startLab(pinning);
  try {
    await runWrk(`${lab.url}${FIDELITY_PATH}`, 4, 2); // warm the server's JIT
    const base = { baseUrl: lab.url, variants: variant(FIDELITY_PATH), durationSeconds: d, requestTimeoutMs: 10_000, seed: 1 };
    log('fidelity: closed, 4 connections');
    const closed = await trials(options.trials, [
      async () => [wrkRow('wrk -t1 -c4', await runWrk(`${lab.url}${FIDELITY_PATH}`, 4, d))],
      () => oursClosed(base, 4),
    ]);
    log(`fidelity: one request at a time (wrk -c1) vs open model at ${OPEN_RATE_RPS} req/s`);
    const single = await trials(options.trials, [
      async () => [wrkRow('wrk -t1 -c1', await runWrk(`${lab.url}${FIDELITY_PATH}`, 1, d))],
      () => oursClosed(base, 1),
      () => oursOpen(base, 16),
    ]);
    return [
      {
        name: 'fidelity-closed-c4',
        description: `${FIDELITY_PATH}, 4 connections back to back (server saturated)`,
        trials: closed,
        median: medianRows(closed),
      },
      {
        name: 'fidelity-unloaded',
        description: `${FIDELITY_PATH}, one request at a time vs an open model at ${OPEN_RATE_RPS} req/s (no queueing in either)`,
        trials: single,
        median: medianRows(single),
      },
    ];
  } finally {
    await lab.stop();
  }
}

async function stallCase(options: Options): Promise<CaseReport> {
  const d = options.durationSeconds;
  const server = await startStallServer(pinning);
  try {
    const base = { baseUrl: server.url, variants: variant('/'), durationSeconds: d, requestTimeoutMs: 10_000, seed: 1 };
    log(`stall: server blocks its loop ${STALL_MS} ms every ${STALL_EVERY_MS} ms`);
    const all = await trials(options.trials, [
      async () => [wrkRow('wrk -t1 -c4', await runWrk(server.url, 4, d))],
      () => oursClosed(base, 4),
      () => oursOpen(base, 4),
    ]);
    return {
      name: 'stall',
      description: `server blocks its event loop ${STALL_MS} ms every ${STALL_EVERY_MS} ms (${(100 * STALL_MS) / STALL_EVERY_MS}% of the time)`,
      trials: all,
      median: medianRows(all),
    };
  } finally {
    await server.stop();
  }
}

async function capacityCase(options: Options): Promise<CaseReport> {
  const d = options.durationSeconds;
  const lab = await startLab(pinning);
  try {
    const url = `${lab.url}${ZERO_WORK_PATH}`;
    await runWrk(url, 16, 2);
    const tools: Array<() => Promise<Row[]>> = [];
    for (const c of options.connections) {
      tools.push(async () => [wrkRow(`wrk -t1 -c${c}`, await runWrk(url, c, d))]);
      tools.push(async () => [
        ourRow(
          `ours closed c=${c}`,
          await ours({
            baseUrl: lab.url,
            variants: variant(ZERO_WORK_PATH),
            durationSeconds: d,
            requestTimeoutMs: 10_000,
            seed: 1,
            model: 'closed',
            connections: c,
          }),
        ),
      ]);
    }
    log(`capacity: ${ZERO_WORK_PATH}, connections ${options.connections.join(', ')}`);
    const all = await trials(options.trials, tools);
    return { name: 'capacity', description: `${ZERO_WORK_PATH} (zero work), closed model`, trials: all, median: medianRows(all) };
  } finally {
    await lab.stop();
  }
}

// ---- presenting ----

const fixed = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function table(report: CaseReport): string {
  const lines = [
    `### ${report.name}: ${report.description}`,
    '',
    '| tool | req/s | p50 ms | p90 ms | p99 ms | max ms | errors | client CPU µs/req |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of report.median) {
    lines.push(
      `| ${r.tool} | ${fixed(r.rps, 0)} | ${fixed(r.p50Ms)} | ${fixed(r.p90Ms)} | ${fixed(r.p99Ms)} | ${fixed(r.maxMs)} | ${fixed(r.errors, 0)} | ${fixed(r.clientCpuUsPerRequest, 0)} |`,
    );
  }
  if (report.name === 'capacity') {
    lines.push(
      '',
      '| connections | ours / wrk req/s (median of per-trial ratios) | ours, req/s per client CPU-second |',
      '|---:|---:|---:|',
    );
    for (let i = 0; i + 1 < report.median.length; i += 2) {
      const [wrk, us] = [report.median[i], report.median[i + 1]];
      // Ratios within a trial: wrk and ours ran back to back, so machine noise hits both alike.
      const ratios = report.trials.map((rows) => (rows[i + 1]?.rps ?? Number.NaN) / (rows[i]?.rps ?? Number.NaN));
      if (wrk && us)
        lines.push(
          `| ${wrk.tool.replace('wrk -t1 -c', '')} | ${fixed(100 * median(ratios), 0)}% | ${fixed(1e6 / us.clientCpuUsPerRequest, 0)} |`,
        );
    }
  } else if (report.name.startsWith('fidelity-')) {
    const [wrk, ...ourRows] = report.median;
    lines.push('');
    for (const us of ourRows.filter((row) => row.tool.startsWith('ours closed'))) {
      if (!wrk) break;
      lines.push(
        `${us.tool} vs wrk: p50 ${signedPercent(us.p50Ms, wrk.p50Ms)}, p90 ${signedPercent(us.p90Ms, wrk.p90Ms)}, p99 ${signedPercent(us.p99Ms, wrk.p99Ms)}, req/s ${signedPercent(us.rps, wrk.rps)}  `,
      );
    }
  }
  return lines.join('\n');
}

function signedPercent(value: number, reference: number): string {
  const delta = (100 * (value - reference)) / reference;
  return `${delta >= 0 ? '+' : ''}${delta.toFixed(1)}%`;
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Whether processes are pinned (server on CPU 0, clients on CPU 1): set once by `main`. */
let pinning = false;

export async function main(options: Options): Promise<number> {
  if (!commandExists('wrk')) {
    process.stderr.write(`${TOOL}: expected wrk on PATH (Debian: apt-get install wrk), found none\n`);
    return USAGE_EXIT_CODE;
  }
  // Pin this process (and so the forked load worker) to the client CPU; servers get the other.
  pinning = detectCpuPlan().labCpus !== null;
  if (pinning) await pinProcess(process.pid, CLIENT_CPU);
  else log('taskset not found (or one CPU): processes are not pinned to CPUs, expect more noise');

  // Other work on the machine moves these numbers more than anything measured here; say how busy it was.
  const loadBefore = loadavg()[0] ?? 0;
  const reports: CaseReport[] = [];
  if (options.only.has('fidelity')) reports.push(...(await fidelityCases(options)));
  if (options.only.has('stall')) reports.push(await stallCase(options));
  if (options.only.has('capacity')) reports.push(await capacityCase(options));

  const loadAverage1m = { before: loadBefore, after: loadavg()[0] ?? 0 };
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ durationSeconds: options.durationSeconds, trials: options.trials, loadAverage1m, reports }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(
      `Medians of ${options.trials} alternating trials of ${options.durationSeconds} s each; server on CPU ${SERVER_CPU}, clients on CPU ${CLIENT_CPU}; ` +
        `1-min load average ${loadAverage1m.before.toFixed(2)} before, ${loadAverage1m.after.toFixed(2)} after.\n\n`,
    );
    process.stdout.write(`${reports.map(table).join('\n\n')}\n`);
  }
  return 0;
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runCli({ tool: TOOL, usage, parse: parseFidelityArgs, main });
