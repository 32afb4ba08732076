/**
 * What the lab's instrumentation costs: requests/s of /api/work with zero work (no DB wait,
 * no loop), metrics on vs off, in one run. Two lab processes, loaded alternately (A B B A …)
 * by autocannon from this process, so drift hits both sides alike.
 *
 *   npm run bench:overhead -- [--rounds 6] [--seconds 5] [--connections 8]
 */
import autocannon from 'autocannon';
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { mean, median, sampleStandardDeviation } from 'simple-statistics';
import { detectCpuPlan, pinProcess } from '../cpu-affinity.js';
import { startLabProcess, type LabProcess } from '../lab-process.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '6' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '8' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write('Usage: npm run bench:overhead -- [--rounds 6] [--seconds 5] [--connections 8]\n');
  process.exit(0);
}
const rounds = positiveInteger('rounds', values.rounds);
const seconds = positiveInteger('seconds', values.seconds);
const connections = positiveInteger('connections', values.connections);

/** USER_HZ: 100 on every Linux this runs on. */
const CLOCK_TICKS_PER_SECOND = 100;
const ZERO_WORK = ['--db-min-ms', '0', '--db-max-ms', '0', '--loop-iterations', '0', '--log-level', 'warn'];
// Labs on one CPU, autocannon (this process) on the others: what is measured is the lab alone.
const cpuPlan = detectCpuPlan();
if (cpuPlan.generatorCpus !== null) await pinProcess(process.pid, cpuPlan.generatorCpus);
const sides = {
  'metrics on': await startLabProcess({ args: [...ZERO_WORK, '--metrics', 'on'], cpus: cpuPlan.labCpus }),
  'metrics off': await startLabProcess({ args: [...ZERO_WORK, '--metrics', 'off', '--runtime-metrics', 'off'], cpus: cpuPlan.labCpus }),
};
const names = Object.keys(sides) as Array<keyof typeof sides>;
const rates: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
const cpuMicrosPerRequest: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));

try {
  for (const name of names) await drive(sides[name], 1); // warm both JITs
  for (let round = 0; round < rounds; round++) {
    // A B B A: each side goes first half the time.
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const { rps, cpuMicros } = await drive(sides[name], seconds);
      rates[name]?.push(rps);
      cpuMicrosPerRequest[name]?.push(cpuMicros);
      process.stderr.write(`round ${round + 1}/${rounds} ${name}: ${rps.toFixed(0)} req/s, ${cpuMicros.toFixed(1)} µs CPU/request\n`);
    }
  }
} finally {
  await Promise.all(names.map((n) => sides[n].stop()));
}

const on = rates['metrics on'] ?? [];
const off = rates['metrics off'] ?? [];
const cpuOn = cpuMicrosPerRequest['metrics on'] ?? [];
const cpuOff = cpuMicrosPerRequest['metrics off'] ?? [];
process.stdout.write(
  [
    `/api/work with zero work, ${connections} connections, ${rounds} rounds x ${seconds} s per side (node ${process.version})`,
    `metrics on : ${mean(on).toFixed(0)} req/s (sd ${sampleStandardDeviation(on).toFixed(0)}), ${median(cpuOn).toFixed(1)} µs CPU/request (median)`,
    `metrics off: ${mean(off).toFixed(0)} req/s (sd ${sampleStandardDeviation(off).toFixed(0)}), ${median(cpuOff).toFixed(1)} µs CPU/request (median)`,
    `instrumentation cost: ${((1 - mean(on) / mean(off)) * 100).toFixed(1)}% of throughput (means); ` +
      `${((median(cpuOn) / median(cpuOff) - 1) * 100).toFixed(1)}% more CPU per request (medians; steadier on a busy machine)`,
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

/** User + system CPU time of a process, from /proc (Linux), in microseconds. */
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
