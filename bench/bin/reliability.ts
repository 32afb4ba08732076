#!/usr/bin/env node
/**
 * `npm run bench:reliability`: does the lab hold up against what a demanding user (or a hostile
 * client) does to it? Bounded in time, loopback only. It starts the real lab and measures:
 *
 *   fuzz        hostile inputs (bad knob values, repeated parameters, odd paths and methods, raw
 *               malformed HTTP): every one answered with a 4xx, none with a 5xx, no crash
 *   overload    /healthz and /metrics probed while the lab gets 2x and 10x its capacity (open
 *               model): the worst probe latency must stay under 1 s (load shedding)
 *   cost        many slow readers of the largest payload: peak RSS bounded by the configured
 *               payload budget instead of growing with the readers
 *   orphans     kill -9 of a running bench, and of `npm run bench`: no lab, load worker or bench
 *               may be left running
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isEntryPoint, oneLine, parseWholeNumbers, runCli, type Parsed } from '../../lib/cli.js';
import { seededRandom } from '../../lib/random.js';
import { renderTable } from '../../lib/text-table.js';
import { DEFAULT_LIMITS } from '../../server/work/knobs.js';
import { runLoad } from '../load/run-load.js';
import { detectCpuPlan } from '../process/cpu-affinity.js';
import { startLabProcess, type LabProcess } from '../process/lab-process.js';

const TOOL = 'bench:reliability';
export const DEFAULTS = { fuzz: 2400, overloadSeconds: 5, slowReaders: 16 } as const;
/** The hot loop's work per request in the overload phase (~5 ms of CPU here). */
const OVERLOAD_WORK = '/api/work?loop_iterations=2000000&db_min_ms=0&db_max_ms=1';
const PROBE_LIMIT_MS = 1_000;

const usage = () => `Usage: npm run bench:reliability -- [options]

Starts the lab and tries to break it: hostile inputs, overload at 2x and 10x its capacity, slow
readers of the largest payload, and kill -9 of the bench and of npm. Prints what held. Loopback
only; about ${DEFAULTS.overloadSeconds * 2 + 40} s with the defaults.

  --fuzz N              hostile inputs to send (default ${DEFAULTS.fuzz})
  --overload-seconds N  length of each overload phase (default ${DEFAULTS.overloadSeconds})
  --slow-readers N      concurrent slow readers of the largest payload (default ${DEFAULTS.slowReaders})
  --json                print the findings as JSON
  -h, --help            show this help

Exit codes: 0 everything held; 1 something did not (the table says what); 2 bad usage.`;

export interface ReliabilityOptions {
  fuzz: number;
  overloadSeconds: number;
  slowReaders: number;
  json: boolean;
}

/** Parses `npm run bench:reliability` flags (pure). */
export function parseReliabilityArgs(argv: readonly string[]): Parsed<ReliabilityOptions> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        fuzz: { type: 'string', default: String(DEFAULTS.fuzz) },
        'overload-seconds': { type: 'string', default: String(DEFAULTS.overloadSeconds) },
        'slow-readers': { type: 'string', default: String(DEFAULTS.slowReaders) },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: oneLine(error) };
  }
  if (values.help) return { kind: 'help' };
  const parsed = parseWholeNumbers(
    { fuzz: values.fuzz, 'overload-seconds': values['overload-seconds'], 'slow-readers': values['slow-readers'] },
    { fuzz: [1, 100_000], 'overload-seconds': [1, 60], 'slow-readers': [1, 256] },
  );
  if (!parsed.ok) return { kind: 'error', message: parsed.message };
  return {
    kind: 'ok',
    options: {
      fuzz: parsed.values.fuzz,
      overloadSeconds: parsed.values['overload-seconds'],
      slowReaders: parsed.values['slow-readers'],
      json: values.json ?? false,
    },
  };
}

/** One finding: what was measured, the value, the bound, and whether it held. */
export interface Finding {
  check: string;
  value: string;
  bound: string;
  held: boolean;
}

/** A deterministic list of hostile inputs: HTTP paths with queries, and raw request bytes. */
export function hostileInputs(count: number, seed = 1): Array<{ kind: 'path'; path: string } | { kind: 'raw'; bytes: Buffer }> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const knobs = ['db_min_ms', 'db_max_ms', 'loop_iterations', 'loop_impl', 'payload_items', 'payload_item_bytes', 'seed', 'db_spike_ms'];
  const badValues = [
    '-1',
    '1e400',
    'NaN',
    'Infinity',
    '0x10',
    '',
    ' ',
    '%00',
    '%ZZ',
    '99999999999999999999',
    '1.5',
    'bigint',
    '\u00e9',
    '%F0%9F%92%A5',
  ];
  const rawBytes = [
    'BREW /api/work HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /api/work HTTP/9.9\r\nHost: x\r\n\r\n',
    'GET /api/work HTTP/1.1\r\nBad Header: x\r\n\r\n',
    `GET /${'a'.repeat(17_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    'GET /api/work HTTP/1.1\r\nContent-Length: -1\r\n\r\n',
    'GET /api/work HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    '\u0000\u0001\u0002 garbage\r\n\r\n',
  ];
  return Array.from({ length: count }, (_, i) => {
    switch (i % 4) {
      case 0:
        return { kind: 'path' as const, path: `/api/work?${pick(knobs)}=${encodeURIComponent(pick(badValues))}` };
      case 1: {
        const knob = pick(knobs);
        return { kind: 'path' as const, path: `/api/work?${knob}=1&${knob}=${pick(badValues)}` };
      }
      case 2:
        return {
          kind: 'path' as const,
          path: pick(['/api/work/../../etc/passwd', '/%2e%2e/', '/api/work?' + 'x='.repeat(2000), '/metrics?format=x', '/healthz/x']),
        };
      default: {
        const raw = pick(rawBytes);
        // Raw non-ASCII bytes in the request line, which no URL API would produce.
        return {
          kind: 'raw' as const,
          bytes:
            i % 8 === 3 ? Buffer.from([...Buffer.from('GET /api/w'), 0xff, 0xfe, ...Buffer.from(' HTTP/1.1\r\n\r\n')]) : Buffer.from(raw),
        };
      }
    }
  });
}

export async function main(options: ReliabilityOptions): Promise<number> {
  const findings: Finding[] = [];
  const say = (line: string) => process.stderr.write(`${TOOL}: ${line}\n`);
  const cpuPlan = detectCpuPlan();
  const lab = await startLabProcess({ args: ['--log-level', 'warn'], cpus: cpuPlan.labCpus });
  try {
    say(`fuzzing with ${options.fuzz} hostile inputs`);
    findings.push(...(await fuzz(lab, options.fuzz)));

    say('measuring capacity on the hot loop (closed model, 3 s)');
    const capacity = await runLoad(
      {
        model: 'closed',
        connections: 8,
        baseUrl: lab.appUrl,
        variants: [{ name: 'work', path: OVERLOAD_WORK, weight: 1 }],
        durationSeconds: 3,
        requestTimeoutMs: 10_000,
        seed: 1,
      },
      { cpus: cpuPlan.generatorCpus },
    );
    const capacityRps = Math.max(1, capacity.achievedRps);
    for (const factor of [2, 10]) {
      say(
        `overload: ${factor}x capacity (${Math.round(factor * capacityRps)} req/s) for ${options.overloadSeconds} s, probing /healthz and /metrics`,
      );
      findings.push(...(await overload(lab, capacityRps, factor, options.overloadSeconds, cpuPlan.generatorCpus)));
    }

    say(`${options.slowReaders} slow readers of the largest payload`);
    findings.push(await slowReaders(lab, options.slowReaders));
    if (await exitedAlready(lab)) findings.push({ check: 'lab still running after all of it', value: 'no', bound: 'yes', held: false });
    else findings.push({ check: 'lab still running after all of it', value: 'yes', bound: 'yes', held: true });
  } finally {
    await lab.stop();
  }

  say('kill -9 of a running bench, then of npm run bench');
  findings.push(await orphansAfterKill('bench'), await orphansAfterKill('npm'));

  const held = findings.every((f) => f.held);
  if (options.json) process.stdout.write(`${JSON.stringify({ held, findings }, null, 2)}\n`);
  else
    process.stdout.write(
      `${renderTable(
        ['check', 'value', 'bound', 'held'],
        findings.map((f) => [f.check, f.value, f.bound, f.held ? 'yes' : 'NO']),
        '',
        { lastIsText: true },
      )}\n`,
    );
  return held ? 0 : 1;
}

async function exitedAlready(lab: LabProcess): Promise<boolean> {
  return Promise.race([lab.exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10))]);
}

async function fuzz(lab: LabProcess, count: number): Promise<Finding[]> {
  const classes = { '2xx': 0, '4xx': 0, '5xx': 0, 'no answer': 0 };
  const inputs = hostileInputs(count);
  const concurrency = 8;
  let next = 0;
  const classify = (status: number | null) => {
    if (status === null) classes['no answer']++;
    else if (status >= 500) classes['5xx']++;
    else if (status >= 400) classes['4xx']++;
    else classes['2xx']++;
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < inputs.length) {
        const input = inputs[next++];
        if (!input) break;
        if (input.kind === 'raw') classify(await rawStatus(lab.appUrl, input.bytes));
        else
          classify(
            await fetch(`${lab.appUrl}${input.path}`, { signal: AbortSignal.timeout(10_000) }).then(
              (r) => r.arrayBuffer().then(() => r.status),
              () => null,
            ),
          );
      }
    }),
  );
  const crashed = await exitedAlready(lab);
  return [
    { check: 'hostile inputs tried', value: String(count), bound: '>= 2000', held: count >= 2000 },
    { check: 'lab crashes', value: crashed ? '1' : '0', bound: '0', held: !crashed },
    { check: 'hostile inputs answered 5xx', value: String(classes['5xx']), bound: '0', held: classes['5xx'] === 0 },
    { check: 'hostile inputs without an answer', value: String(classes['no answer']), bound: '0', held: classes['no answer'] === 0 },
  ];
}

/** The status line's code of a raw exchange, or null when the server closed without answering. */
function rawStatus(appUrl: string, bytes: Buffer): Promise<number | null> {
  const { hostname, port } = new URL(appUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    let answer = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => (answer += chunk));
    const done = () => resolve(/^HTTP\/1\.[01] (\d{3})/.exec(answer) ? Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1]) : null);
    socket.once('close', done);
    socket.once('error', () => undefined);
    socket.setTimeout(10_000, () => socket.destroy());
  });
}

async function overload(lab: LabProcess, capacityRps: number, factor: number, seconds: number, cpus: string | null): Promise<Finding[]> {
  let worstMs = 0;
  let probes = 0;
  let failedProbes = 0;
  let probing = true;
  const probe = async (path: string) => {
    while (probing) {
      const startedMs = performance.now();
      const ok = await fetch(`${lab.appUrl}${path}`, { signal: AbortSignal.timeout(10_000) }).then(
        (r) => r.arrayBuffer().then(() => r.ok),
        () => false,
      );
      worstMs = Math.max(worstMs, performance.now() - startedMs);
      probes++;
      if (!ok) failedProbes++;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const probers = [probe('/healthz'), probe('/metrics')];
  const load = await runLoad(
    {
      model: 'open',
      rateRps: Math.round(factor * capacityRps),
      maxConnections: 256,
      baseUrl: lab.appUrl,
      variants: [{ name: 'work', path: OVERLOAD_WORK, weight: 1 }],
      durationSeconds: seconds,
      requestTimeoutMs: 10_000,
      seed: factor,
    },
    { cpus },
  ).finally(() => (probing = false));
  await Promise.all(probers);
  const shed = load.statusCounts['503'] ?? 0;
  const otherErrors = Object.entries(load.statusCounts)
    .filter(([status]) => Number(status) >= 500 && status !== '503')
    .reduce((sum, [, n]) => sum + n, 0);
  return [
    {
      check: `${factor}x capacity: worst /healthz or /metrics latency`,
      value: `${Math.round(worstMs)} ms (${probes} probes, ${failedProbes} failed)`,
      bound: `< ${PROBE_LIMIT_MS} ms`,
      held: worstMs < PROBE_LIMIT_MS && failedProbes === 0,
    },
    {
      check: `${factor}x capacity: answered / shed (503) / other 5xx`,
      value: `${load.completed - shed - otherErrors} / ${shed} / ${otherErrors}`,
      bound: 'other 5xx = 0',
      held: otherErrors === 0,
    },
  ];
}

async function slowReaders(lab: LabProcess, readers: number): Promise<Finding> {
  const itemBytes = 4096;
  const items = Math.floor(DEFAULT_LIMITS.maxPayloadBytes / (itemBytes + 64));
  const path = `/api/work?payload_items=${items}&payload_item_bytes=${itemBytes}&db_min_ms=0&db_max_ms=1&loop_iterations=0`;
  const { hostname, port } = new URL(lab.appUrl);
  const baselineRss = await rssBytes(lab.pid);
  const sockets = Array.from({ length: readers }, () => {
    const socket = connect(Number(port), hostname, () => socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`));
    socket.on('error', () => undefined);
    socket.pause(); // never read: the response sits in the lab's buffers
    return socket;
  });
  let peakRss = baselineRss;
  for (let i = 0; i < 60; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    peakRss = Math.max(peakRss, await rssBytes(lab.pid));
  }
  for (const socket of sockets) socket.destroy();
  const budget = DEFAULT_LIMITS.maxPayloadBytesInFlight;
  // A payload costs ~3x its size while encoded (string, UTF-8 buffer, socket queue).
  const bound = baselineRss + 4 * budget;
  return {
    check: `peak RSS with ${readers} slow readers of a ${Math.round(DEFAULT_LIMITS.maxPayloadBytes / 2 ** 20)} MiB payload`,
    value: `${Math.round(peakRss / 2 ** 20)} MiB (from ${Math.round(baselineRss / 2 ** 20)} MiB)`,
    bound: `< ${Math.round(bound / 2 ** 20)} MiB (4x the ${Math.round(budget / 2 ** 20)} MiB budget)`,
    held: peakRss < bound,
  };
}

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
}

/** Starts a long bench run (directly, or through npm), kills its starter with SIGKILL, counts survivors. */
async function orphansAfterKill(via: 'bench' | 'npm'): Promise<Finding> {
  const dir = await mkdtemp(join(tmpdir(), 'metric-lab-reliability-'));
  try {
    await writeFile(
      join(dir, 'long.yaml'),
      'description: long enough to be killed\nserver: { db_min_ms: 1, db_max_ms: 2, loop_iterations: 1000 }\nload: { rate_rps: 20, warmup_seconds: 0, duration_seconds: 30, trials: 1 }\n',
    );
    const benchArgs = ['--no-baseline', '--scenarios-dir', dir, '--out', join(dir, 'reports')];
    const starter =
      via === 'bench'
        ? spawn(process.execPath, ['dist/bench/bin/bench.js', ...benchArgs], { stdio: 'ignore' })
        : spawn('npm', ['run', '-s', 'bench', '--', ...benchArgs], { stdio: 'ignore' });
    const family = await until(() => {
      const all = descendants(starter.pid ?? -1);
      return all.some((p) => p.command.includes('server/main.js')) && all.some((p) => p.command.includes('worker.js')) ? all : null;
    }, 60_000);
    starter.kill('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const survivors = (family ?? []).filter((p) => isAlive(p.pid));
    for (const p of survivors) process.kill(p.pid, 'SIGKILL');
    return {
      check: `processes left 5 s after kill -9 of ${via === 'bench' ? 'the bench' : 'npm run bench'}`,
      value: family === null ? 'the run never started' : `${survivors.length} of ${family.length}`,
      bound: '0',
      held: family !== null && survivors.length === 0,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function until<T>(probe: () => T | null, timeoutMs: number): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = probe();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return null;
}

/** Every descendant of `pid` (Linux `ps`), with its command line. */
function descendants(pid: number): Array<{ pid: number; command: string }> {
  const table = processTable();
  const found: Array<{ pid: number; command: string }> = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const row of table) {
      if (row.ppid !== parent) continue;
      found.push({ pid: row.pid, command: row.command });
      queue.push(row.pid);
    }
  }
  return found;
}

function processTable(): Array<{ pid: number; ppid: number; command: string }> {
  return execPs()
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .flatMap((m) => (m ? [{ pid: Number(m[1]), ppid: Number(m[2]), command: m[3] as string }] : []));
}

function execPs(): string {
  try {
    return execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runCli({ tool: TOOL, usage, parse: parseReliabilityArgs, main });
