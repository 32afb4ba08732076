/**
 * What the lab's instrumentation costs: /api/work with zero work (no DB wait, no loop), all
 * metrics on, and HTTP + section metrics without Node's runtime metrics, each against metrics
 * off. Each round starts fresh labs — two identical lab processes differ by several percent for
 * their whole life, so one process per side would measure luck — warms them, and loads them one
 * after another in an order that rotates every round, with autocannon from this process, pinned
 * away from the labs. Each side is driven twice: flat out (closed loop; the throughput the target
 * is stated in) and at a fixed rate well below capacity, where the client behaves the same for
 * every side, so CPU per request is the lab's own cost (flat out, a slower lab also changes how
 * often the client sleeps, and on loopback the lab's sends pay for waking it). Reported:
 * requests/s and CPU per request (scheduler accounting), with the Hodges–Lehmann estimate of the
 * difference and its 95% interval over rounds.
 *
 *   npm run bench:overhead -- [--rounds 10] [--seconds 3] [--connections 8] [--rate 2000]
 */
import autocannon from 'autocannon';
import { readdir, readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { median } from 'simple-statistics';
import { compareMetric, type Direction } from '../../ci/stats/index.js';
import { detectCpuPlan, pinProcess } from '../process/cpu-affinity.js';
import { startLabProcess, type LabProcess } from '../process/lab-process.js';
import { isEntryPoint, oneLine, parseWholeNumbers, runCli, type Parsed } from '../../lib/cli.js';

const TOOL = 'bench:overhead';
export const DEFAULTS = { rounds: 10, seconds: 3, connections: 8, rate: 2000 } as const;

const usage = () => `Usage: npm run bench:overhead -- [options]

What the lab's instrumentation costs on /api/work with zero work: metrics off, all on, and on
without Node's runtime collectors, in fresh labs each round (order rotating), driven flat out and
at a fixed rate by autocannon pinned away from the labs. Prints requests/s and CPU per request
with Hodges-Lehmann estimates and 95% intervals.

  --rounds N        rounds of fresh labs (default ${DEFAULTS.rounds})
  --seconds N       load per side per phase, s (default ${DEFAULTS.seconds})
  --connections N   autocannon connections (default ${DEFAULTS.connections})
  --rate N          requests/s of the fixed-rate phase (default ${DEFAULTS.rate})
  -h, --help        show this help

Exit codes: 0 done; 1 a lab failed or could not keep the fixed rate; 2 bad usage.`;

export interface OverheadOptions {
  rounds: number;
  seconds: number;
  connections: number;
  rate: number;
}

/** Parses `npm run bench:overhead` flags (pure). */
export function parseOverheadArgs(argv: readonly string[]): Parsed<OverheadOptions> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        rounds: { type: 'string', default: String(DEFAULTS.rounds) },
        seconds: { type: 'string', default: String(DEFAULTS.seconds) },
        connections: { type: 'string', default: String(DEFAULTS.connections) },
        rate: { type: 'string', default: String(DEFAULTS.rate) },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: oneLine(error) };
  }
  if (values.help) return { kind: 'help' };
  const parsed = parseWholeNumbers(values, { rounds: [1, 1000], seconds: [1, 600], connections: [1, 1024], rate: [1, 1_000_000] });
  return parsed.ok ? { kind: 'ok', options: parsed.values } : { kind: 'error', message: parsed.message };
}

const ZERO_WORK = ['--db-min-ms', '0', '--db-max-ms', '0', '--loop-iterations', '0', '--log-level', 'warn'];
const SIDES = {
  off: [...ZERO_WORK, '--metrics', 'off', '--runtime-metrics', 'off'],
  on: [...ZERO_WORK, '--metrics', 'on', '--runtime-metrics', 'on'],
  'on-no-runtime': [...ZERO_WORK, '--metrics', 'on', '--runtime-metrics', 'off'],
} as const;
type SideName = keyof typeof SIDES;
const SIDE_NAMES = Object.keys(SIDES) as SideName[];

export async function main(options: OverheadOptions): Promise<number> {
  const { rounds, seconds, connections } = options;
  const fixedRatePerSecond = options.rate;
  // Labs on one CPU, autocannon (this process) on the others: what is measured is the lab alone.
  const cpuPlan = detectCpuPlan();
  if (cpuPlan.generatorCpus !== null) await pinProcess(process.pid, cpuPlan.generatorCpus);

  const perSide = () => Object.fromEntries(SIDE_NAMES.map((side) => [side, [] as number[]])) as Record<SideName, number[]>;
  const rps = perSide();
  const cpuMicros = perSide();
  const fixedRateCpuMicros = perSide();
  for (let round = 1; round <= options.rounds; round++) {
    const labs = new Map<SideName, LabProcess>();
    try {
      for (const side of SIDE_NAMES) labs.set(side, await startLabProcess({ args: SIDES[side], cpus: cpuPlan.labCpus }));
      for (const side of SIDE_NAMES) await drive(options, labs.get(side) as LabProcess, 1); // warm the JIT
      // Rotate who goes first, so a drift within the round hits every side alike over the rounds.
      const order = SIDE_NAMES.map((_, i) => SIDE_NAMES[(i + round) % SIDE_NAMES.length] as SideName);
      for (const side of order) {
        const lab = labs.get(side) as LabProcess;
        const measured = await drive(options, lab, options.seconds);
        rps[side].push(measured.rps);
        cpuMicros[side].push(measured.cpuMicros);
        const fixed = await drive(options, lab, options.seconds, fixedRatePerSecond);
        if (fixed.rps < fixedRatePerSecond * 0.95) {
          throw new Error(`${side} reached only ${fixed.rps.toFixed(0)} of ${fixedRatePerSecond} req/s: lower --rate`);
        }
        fixedRateCpuMicros[side].push(fixed.cpuMicros);
      }
    } finally {
      await Promise.all([...labs.values()].map((lab) => lab.stop()));
    }
    process.stderr.write(
      `round ${round}/${rounds}: ${SIDE_NAMES.map(
        (side) =>
          `${side} ${rps[side].at(-1)?.toFixed(0)} req/s ${cpuMicros[side].at(-1)?.toFixed(1)} µs/req ` +
          `(at ${fixedRatePerSecond}/s: ${fixedRateCpuMicros[side].at(-1)?.toFixed(1)} µs/req)`,
      ).join('; ')}\n`,
    );
  }

  const change = (baseline: number[], current: number[], direction: Direction) => {
    const c = compareMetric({ baseline, current, allowedRegression: 0.05, direction });
    if (c.status !== 'ok') return 'n/a';
    const pct = (r: number) => `${r >= 1 ? '+' : ''}${((r - 1) * 100).toFixed(1)}%`;
    return `${pct(c.ratio)} [${pct(c.ratioInterval.low)}, ${pct(c.ratioInterval.high)}]`;
  };
  process.stdout.write(
    [
      `/api/work with zero work, ${connections} connections, ${rounds} rounds (fresh labs each) x ${seconds} s per side, node ${process.version}`,
      ...SIDE_NAMES.map(
        (side) =>
          `metrics ${side.padEnd(13)}: ${median(rps[side]).toFixed(0)} req/s, ${median(cpuMicros[side]).toFixed(1)} µs CPU/request flat out; ` +
          `${median(fixedRateCpuMicros[side]).toFixed(1)} µs CPU/request at ${fixedRatePerSecond} req/s (medians)`,
      ),
      ...SIDE_NAMES.filter((side) => side !== 'off').map(
        (side) =>
          `${side} vs off: throughput ${change(rps.off, rps[side], 'higher-is-better')}, ` +
          `CPU per request ${change(cpuMicros.off, cpuMicros[side], 'lower-is-better')}; ` +
          `at ${fixedRatePerSecond} req/s: CPU per request ${change(fixedRateCpuMicros.off, fixedRateCpuMicros[side], 'lower-is-better')} (Hodges-Lehmann, 95% interval)`,
      ),
      '',
    ].join('\n'),
  );
  return 0;
}

/** Flat out (closed loop), or at `ratePerSecond` when given. */
async function drive(
  options: OverheadOptions,
  lab: LabProcess,
  durationSeconds: number,
  ratePerSecond?: number,
): Promise<{ rps: number; cpuMicros: number }> {
  const cpuBefore = await processCpuMicros(lab.pid);
  const result = await autocannon({
    url: `${lab.appUrl}/api/work`,
    connections: options.connections,
    duration: durationSeconds,
    ...(ratePerSecond === undefined ? {} : { overallRate: ratePerSecond }),
  });
  const cpuAfter = await processCpuMicros(lab.pid);
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`load against ${lab.appUrl} saw ${result.non2xx} non-2xx and ${result.errors} errors`);
  }
  return { rps: result.requests.total / durationSeconds, cpuMicros: (cpuAfter - cpuBefore) / result.requests.total };
}

/**
 * CPU time of a process, all its threads, in microseconds, from the scheduler's nanosecond
 * accounting (/proc/<pid>/task/<tid>/schedstat, Linux). /proc/<pid>/stat counts 10 ms ticks: at a
 * few thousand requests per window that is a resolution of several µs per request.
 */
async function processCpuMicros(pid: number): Promise<number> {
  let nanoseconds = 0;
  for (const tid of await readdir(`/proc/${pid}/task`)) {
    try {
      nanoseconds += Number((await readFile(`/proc/${pid}/task/${tid}/schedstat`, 'utf8')).split(' ')[0]);
    } catch {
      // The thread ended between listing and reading: its time is lost either way.
    }
  }
  return nanoseconds / 1000;
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runCli({ tool: TOOL, usage, parse: parseOverheadArgs, main });
