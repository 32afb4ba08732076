/**
 * What the lab's instrumentation costs: requests/s of /api/work with zero work (no DB wait,
 * no loop), metrics on vs off, in one run. Two lab processes, loaded alternately (A B B A …)
 * by autocannon from this process, so drift hits both sides alike.
 *
 *   npm run bench:overhead -- [--rounds 6] [--seconds 5] [--connections 8]
 */
import autocannon from 'autocannon';
import { parseArgs } from 'node:util';
import { mean, sampleStandardDeviation } from 'simple-statistics';
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

const ZERO_WORK = ['--db-min-ms', '0', '--db-max-ms', '0', '--loop-iterations', '0', '--log-level', 'warn'];
const sides = {
  'metrics on': await startLabProcess({ args: [...ZERO_WORK, '--metrics', 'on'] }),
  'metrics off': await startLabProcess({ args: [...ZERO_WORK, '--metrics', 'off', '--runtime-metrics', 'off'] }),
};
const names = Object.keys(sides) as Array<keyof typeof sides>;
const rates: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));

try {
  for (const name of names) await drive(sides[name], 1); // warm both JITs
  for (let round = 0; round < rounds; round++) {
    // A B B A: each side goes first half the time.
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const rps = await drive(sides[name], seconds);
      rates[name]?.push(rps);
      process.stderr.write(`round ${round + 1}/${rounds} ${name}: ${rps.toFixed(0)} req/s\n`);
    }
  }
} finally {
  await Promise.all(names.map((n) => sides[n].stop()));
}

const on = rates['metrics on'] ?? [];
const off = rates['metrics off'] ?? [];
const overheadPercent = (1 - mean(on) / mean(off)) * 100;
process.stdout.write(
  [
    `/api/work with zero work, ${connections} connections, ${rounds} rounds x ${seconds} s per side (node ${process.version})`,
    `metrics on : ${mean(on).toFixed(0)} req/s (sd ${sampleStandardDeviation(on).toFixed(0)})`,
    `metrics off: ${mean(off).toFixed(0)} req/s (sd ${sampleStandardDeviation(off).toFixed(0)})`,
    `instrumentation cost: ${overheadPercent.toFixed(1)}% of throughput`,
    '',
  ].join('\n'),
);

async function drive(lab: LabProcess, durationSeconds: number): Promise<number> {
  const result = await autocannon({ url: `${lab.appUrl}/api/work`, connections, duration: durationSeconds });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`load against ${lab.appUrl} saw ${result.non2xx} non-2xx and ${result.errors} errors`);
  }
  return result.requests.total / durationSeconds;
}

function positiveInteger(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`bench:overhead: --${name}: expected a positive integer, got ${JSON.stringify(text)}\n`);
    process.exit(2);
  }
  return value;
}
