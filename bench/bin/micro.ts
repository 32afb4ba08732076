/**
 * Micro-benchmarks of the lab's pure workload functions (tinybench, in-process):
 *   npm run bench:micro            # table
 *   npm run bench:micro -- --json  # machine-readable
 * Numbers are per unit of work so they compare across machines and sizes.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { Bench } from 'tinybench';
import { createLabMetrics } from '../../server/metrics/lab-metrics.js';
import { SectionStats } from '../../server/metrics/section-stats.js';
import { createTracker } from '../../server/metrics/track.js';
import { loopChecksum, simulateLoopBigInt } from '../../server/work/checksum.js';
import { buildPayload, estimatedPayloadBytes } from '../../server/work/payload.js';
import { encodeWorkResponse } from '../../server/work/response.js';
import { isEntryPoint, oneLine, parseWholeNumber, runCli, type Parsed } from '../../lib/cli.js';

interface MicroResult {
  name: string;
  /** Mean time per task run. */
  meanMs: number;
  rmePercent: number;
  samples: number;
  /** The headline number, e.g. "3.1 ns/iteration". */
  perUnit: string;
}

const TOOL = 'bench:micro';
export const DEFAULTS = { timeMs: 1000 } as const;

const usage = () => `Usage: npm run bench:micro -- [--json] [--time-ms N]

Times the lab's pure functions in-process with tinybench: the hot loop (ns/iteration), payload
build+encode (ms/MiB) and track() (ns/call). Numbers are per unit of work, so they compare across
machines and sizes.

  --time-ms N   time per task, ms (default ${DEFAULTS.timeMs})
  --json        machine-readable output
  -h, --help    show this help

Exit codes: 0 done; 2 bad usage.`;

export interface MicroOptions {
  json: boolean;
  timeMs: number;
}

/** Parses `npm run bench:micro` flags (pure). */
export function parseMicroArgs(argv: readonly string[]): Parsed<MicroOptions> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, 'time-ms': { type: 'string' } },
    }));
  } catch (error) {
    return { kind: 'error', message: oneLine(error) };
  }
  if (values.help) return { kind: 'help' };
  let timeMs: number = DEFAULTS.timeMs;
  if (values['time-ms'] !== undefined) {
    const parsed = parseWholeNumber('--time-ms', values['time-ms'], 1, 600_000);
    if (!parsed.ok) return { kind: 'error', message: parsed.message };
    timeMs = parsed.value;
  }
  return { kind: 'ok', options: { json: values.json ?? false, timeMs } };
}

export async function main(options: MicroOptions): Promise<number> {
  const PAYLOAD_ITEMS = 256;
  const PAYLOAD_ITEM_BYTES = 4096;
  const payloadMiB = estimatedPayloadBytes(PAYLOAD_ITEMS, PAYLOAD_ITEM_BYTES) / 2 ** 20;

  const metrics = createLabMetrics({ runtimeMetrics: false });
  const stats = new SectionStats();
  // As the lab wires it (server/app.ts): the series looked up once, then observed.
  const loopSeries = metrics.sectionDurationSeconds.child({ section: 'loop' });
  const trackWithMetrics = createTracker(
    (section, durationMs) => {
      stats.record(section, durationMs);
      loopSeries.observe(durationMs / 1000);
    },
    pino({ level: 'info' }),
  );
  const trackBare = createTracker(() => {}, pino({ level: 'info' }));
  const TRACK_CALLS = 1000;

  let sink: unknown;
  const bench = new Bench({ time: options.timeMs, warmupTime: 200 });
  const units = new Map<string, (meanMs: number) => string>();
  const add = (name: string, fn: () => void, perUnit: (meanMs: number) => string) => {
    bench.add(name, fn);
    units.set(name, perUnit);
  };

  for (const iterations of [100_000, 5_000_000]) {
    add(
      `loopChecksum(${iterations})`,
      () => (sink = loopChecksum(iterations)),
      (ms) => `${((ms * 1e6) / iterations).toFixed(2)} ns/iteration`,
    );
  }
  add(
    'simulateLoopBigInt(100000)',
    () => (sink = simulateLoopBigInt(100_000)),
    (ms) => `${((ms * 1e6) / 100_000).toFixed(2)} ns/iteration`,
  );
  add(
    `payload build+encode ${PAYLOAD_ITEMS}x${PAYLOAD_ITEM_BYTES} B`,
    () => {
      const payload = buildPayload(PAYLOAD_ITEMS, PAYLOAD_ITEM_BYTES);
      sink = encodeWorkResponse({
        timingsMs: { dbQueryMs: 1, loopMs: 1, payloadBuildMs: 1, totalMs: 1 },
        loopIterations: 0,
        loopChecksum: 0n,
        timestampEpochMs: Date.now(),
        payload,
      });
    },
    (ms) => `${(ms / payloadMiB).toFixed(2)} ms/MiB`,
  );
  add(
    `payload build only ${PAYLOAD_ITEMS}x${PAYLOAD_ITEM_BYTES} B`,
    () => (sink = buildPayload(PAYLOAD_ITEMS, PAYLOAD_ITEM_BYTES)),
    (ms) => `${(ms / payloadMiB).toFixed(2)} ms/MiB`,
  );
  add(
    `track() x${TRACK_CALLS}, histogram + in-memory stats`,
    () => {
      for (let i = 0; i < TRACK_CALLS; i++) trackWithMetrics('loop')();
    },
    (ms) => `${((ms * 1e6) / TRACK_CALLS).toFixed(0)} ns/call`,
  );
  add(
    `track() x${TRACK_CALLS}, no observer`,
    () => {
      for (let i = 0; i < TRACK_CALLS; i++) trackBare('loop')();
    },
    (ms) => `${((ms * 1e6) / TRACK_CALLS).toFixed(0)} ns/call`,
  );

  if (!options.json)
    process.stderr.write(`running ${bench.tasks.length} micro-benchmarks, ~${((options.timeMs + 200) * bench.tasks.length) / 1000} s…\n`);
  await bench.run();
  void sink;

  const results: MicroResult[] = bench.tasks.map((task) => {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`benchmark ${task.name} did not complete: ${result.state}`);
    return {
      name: task.name,
      meanMs: result.latency.mean,
      rmePercent: result.latency.rme,
      samples: result.latency.samplesCount,
      perUnit: units.get(task.name)?.(result.latency.mean) ?? '',
    };
  });

  if (options.json) {
    process.stdout.write(`${JSON.stringify({ node: process.version, results }, null, 2)}\n`);
  } else {
    const rows = results.map((r) => [r.name, r.perUnit, `${r.meanMs.toFixed(4)} ms`, `±${r.rmePercent.toFixed(1)}%`, String(r.samples)]);
    const header = ['task', 'per unit', 'mean', 'rme', 'samples'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
    for (const row of [header, ...rows]) {
      process.stdout.write(`${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')}\n`);
    }
  }
  return 0;
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runCli({ tool: TOOL, usage, parse: parseMicroArgs, main });
