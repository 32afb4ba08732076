/**
 * What the lab's instrumentation costs: /api/work with zero work (no DB wait, no loop), metrics
 * on vs off, in one run. Each round starts a fresh pair of labs — two identical lab processes
 * differ by several percent for their whole life, so one process per side would measure luck —
 * warms them, and loads them alternately (A B, then B A) with autocannon from this process,
 * pinned away from the labs. Reported: requests/s and CPU per request (from /proc, steadier),
 * with the Hodges–Lehmann estimate of the difference and its 95% interval over rounds.
 *
 *   npm run bench:overhead -- [--rounds 10] [--seconds 3] [--connections 8]
 */
import autocannon from 'autocannon';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { median } from 'simple-statistics';
import { compareMetric } from '../../ci/stats/index.js';
import { detectCpuPlan, pinProcess } from '../cpu-affinity.js';
import { startLabProcess, type LabProcess } from '../lab-process.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '8' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write('Usage: npm run bench:overhead -- [--rounds 10] [--seconds 3] [--connections 8]\n');
  process.exit(0);
}
const rounds = positiveInteger('rounds', values.rounds);
const seconds = positiveInteger('seconds', values.seconds);
const connections = positiveInteger('connections', values.connections);

/** USER_HZ: 100 on every Linux this runs on. */
const CLOCK_TICKS_PER_SECOND = 100;
const ZERO_WORK = ['--db-min-ms', '0', '--db-max-ms', '0', '--loop-iterations', '0', '--log-level', 'warn'];
const SIDES = {
  on: [...ZERO_WORK, '--metrics', 'on'],
  off: [...ZERO_WORK, '--metrics', 'off', '--runtime-metrics', 'off'],
} as const;
type SideName = keyof typeof SIDES;

// Labs on one CPU, autocannon (this process) on the others: what is measured is the lab alone.
const cpuPlan = detectCpuPlan();
if (cpuPlan.generatorCpus !== null) await pinProcess(process.pid, cpuPlan.generatorCpus);

const rps: Record<SideName, number[]> = { on: [], off: [] };
const cpuMicros: Record<SideName, number[]> = { on: [], off: [] };
for (let round = 1; round <= rounds; round++) {
  const labs = {
    on: await startLabProcess({ args: SIDES.on, cpus: cpuPlan.labCpus }),
    off: await startLabProcess({ args: SIDES.off, cpus: cpuPlan.labCpus }),
  };
  try {
    for (const side of ['on', 'off'] as const) await drive(labs[side], 1); // warm the JIT
    for (const side of round % 2 === 1 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
      const measured = await drive(labs[side], seconds);
      rps[side].push(measured.rps);
      cpuMicros[side].push(measured.cpuMicros);
    }
  } finally {
    await Promise.all([labs.on.stop(), labs.off.stop()]);
  }
  process.stderr.write(
    `round ${round}/${rounds}: on ${rps.on.at(-1)?.toFixed(0)} req/s ${cpuMicros.on.at(-1)?.toFixed(1)} µs/req; ` +
      `off ${rps.off.at(-1)?.toFixed(0)} req/s ${cpuMicros.off.at(-1)?.toFixed(1)} µs/req\n`,
  );
}

const change = (baseline: number[], current: number[], direction: 'lower-is-better' | 'higher-is-better') => {
  const c = compareMetric({ baseline, current, allowedRegression: 0.05, direction });
  if (c.status !== 'ok') return 'n/a';
  const pct = (r: number) => `${r >= 1 ? '+' : ''}${((r - 1) * 100).toFixed(1)}%`;
  return `${pct(c.ratio)} [${pct(c.ratioInterval.low)}, ${pct(c.ratioInterval.high)}]`;
};
process.stdout.write(
  [
    `/api/work with zero work, ${connections} connections, ${rounds} rounds (fresh labs each) x ${seconds} s per side, node ${process.version}`,
    `metrics on : ${median(rps.on).toFixed(0)} req/s, ${median(cpuMicros.on).toFixed(1)} µs CPU/request (medians)`,
    `metrics off: ${median(rps.off).toFixed(0)} req/s, ${median(cpuMicros.off).toFixed(1)} µs CPU/request (medians)`,
    `metrics on vs off: throughput ${change(rps.off, rps.on, 'higher-is-better')}, CPU per request ${change(cpuMicros.off, cpuMicros.on, 'lower-is-better')} (Hodges-Lehmann, 95% interval)`,
    '',
  ].join('\n'),
);

async function drive(lab: LabProcess, durationSeconds: number): Promise<{ rps: number; cpuMicros: number }> {
  const cpuBefore = await processCpuMicros(lab.pid);
  const result = await autocannon({ url: `${lab.appUrl}/api/work`, connections, duration: durationSeconds });
  const cpuAfter = await processCpuMicros(lab.pid);
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`load against ${lab.appUrl} saw ${result.non2xx} non-2xx and ${result.errors} errors`);
  }
  return { rps: result.requests.total / durationSeconds, cpuMicros: (cpuAfter - cpuBefore) / result.requests.total };
}

/** User + system CPU time of a process (all its threads), from /proc (Linux), in microseconds. */
async function processCpuMicros(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
  return (ticks / CLOCK_TICKS_PER_SECOND) * 1e6;
}

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`bench:overhead: --${name}: expected a positive integer, got ${JSON.stringify(text)}\n`);
    process.exit(2);
  }
  return value;
}
