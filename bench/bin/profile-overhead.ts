/**
 * What profiling a live lab costs: requests/s of /api/work (no DB wait, the default 100 000-step
 * loop) while a CPU profile runs vs not, in alternating rounds (A B B A …) against one lab
 * process, loaded by autocannon from this process (never the server's). Then the size and time
 * of each capture kind, taken under the same load.
 *
 *   npm run bench:profile-overhead -- [--rounds 6] [--seconds 5] [--connections 8]
 */
import autocannon from 'autocannon';
import { parseArgs } from 'node:util';
import { mean, median, sampleStandardDeviation } from 'simple-statistics';
import { startLabProcess, type LabProcess } from '../process/lab-process.js';
import { isEntryPoint, oneLine, parseWholeNumbers, runCli, type Parsed } from '../../lib/cli.js';

const TOOL = 'bench:profile-overhead';
export const DEFAULTS = { rounds: 6, seconds: 5, connections: 8 } as const;

const usage = () => `Usage: npm run bench:profile-overhead -- [options]

What profiling a live lab costs: requests/s of /api/work while a CPU profile runs vs not, in
alternating rounds against one lab, loaded by autocannon from this process; then the size and time
of each capture kind under the same load.

  --rounds N        alternating rounds (default ${DEFAULTS.rounds})
  --seconds N       load per side per round, s (default ${DEFAULTS.seconds})
  --connections N   autocannon connections (default ${DEFAULTS.connections})
  -h, --help        show this help

Exit codes: 0 done; 1 a capture or the load failed; 2 bad usage.`;

export interface ProfileOverheadOptions {
  rounds: number;
  seconds: number;
  connections: number;
}

/** Parses `npm run bench:profile-overhead` flags (pure). */
export function parseProfileOverheadArgs(argv: readonly string[]): Parsed<ProfileOverheadOptions> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        rounds: { type: 'string', default: String(DEFAULTS.rounds) },
        seconds: { type: 'string', default: String(DEFAULTS.seconds) },
        connections: { type: 'string', default: String(DEFAULTS.connections) },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: oneLine(error) };
  }
  if (values.help) return { kind: 'help' };
  const parsed = parseWholeNumbers(values, { rounds: [1, 100], seconds: [1, 60], connections: [1, 256] });
  return parsed.ok ? { kind: 'ok', options: parsed.values } : { kind: 'error', message: parsed.message };
}

export async function main({ rounds, seconds, connections }: ProfileOverheadOptions): Promise<number> {
  // Time for the profiler to start (it pauses the loop 5-25 ms) before load is measured.
  const PROFILER_SETTLE_MS = 300;

  interface CaptureCase {
    label: string;
    path: string;
    /** The capture window, s; 0 for a heap snapshot. */
    windowSeconds: number;
  }

  const CAPTURES: readonly CaptureCase[] = [
    { label: 'CPU profile, pprof', path: `/debug/pprof/profile?seconds=${seconds}`, windowSeconds: seconds },
    { label: 'CPU profile, .cpuprofile', path: `/debug/pprof/profile?seconds=${seconds}&format=cpuprofile`, windowSeconds: seconds },
    { label: 'heap profile, inuse (gc=1)', path: `/debug/pprof/heap?seconds=${seconds}&gc=1`, windowSeconds: seconds },
    { label: 'heap profile, alloc', path: `/debug/pprof/heap?seconds=${seconds}&mode=alloc`, windowSeconds: seconds },
    { label: 'heap snapshot', path: '/debug/pprof/heap?format=heapsnapshot', windowSeconds: 0 },
    { label: 'trace, 1 s', path: '/debug/pprof/trace?seconds=1', windowSeconds: 1 },
    { label: `trace, ${seconds} s`, path: `/debug/pprof/trace?seconds=${seconds}`, windowSeconds: seconds },
  ];

  interface CaptureMeasurement {
    label: string;
    windowSeconds: number;
    sizeBytes: number;
    wallSeconds: number;
    /** Throughput while the capture ran (one sample; indicative). */
    rps: number;
  }

  const lab = await startLabProcess({ diagnostics: true, args: ['--db-min-ms', '0', '--db-max-ms', '0', '--log-level', 'warn'] });
  const pprofUrl = lab.pprofUrl ?? '';
  const baseline: number[] = [];
  const profiled: number[] = [];
  const captures: CaptureMeasurement[] = [];
  try {
    await drive(lab, 5); // warm the JIT
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const);
      for (const side of order) {
        const rps =
          side === 'on' ? (await duringCapture(`/debug/pprof/profile?seconds=${seconds + 1}`, seconds)).rps : await drive(lab, seconds);
        (side === 'on' ? profiled : baseline).push(rps);
        process.stderr.write(`round ${round + 1}/${rounds} profile ${side}: ${rps.toFixed(0)} req/s\n`);
      }
    }
    for (const capture of CAPTURES) {
      const measured = await duringCapture(capture.path, Math.max(1, capture.windowSeconds));
      captures.push({ label: capture.label, windowSeconds: capture.windowSeconds, ...measured });
      process.stderr.write(`${capture.label}: ${formatBytes(measured.sizeBytes)} in ${measured.wallSeconds.toFixed(2)} s\n`);
    }
  } finally {
    await lab.stop();
  }

  const ratios = profiled.map((on, i) => on / (baseline[i] ?? Number.NaN));
  const overheadPercent = (1 - mean(profiled) / mean(baseline)) * 100;
  const sd = (xs: number[]) => (xs.length > 1 ? sampleStandardDeviation(xs) : 0);
  process.stdout.write(
    [
      `/api/work (db wait 0, loop 100 000), ${connections} connections, ${rounds} rounds x ${seconds} s per side, node ${process.version}, ${lab.appUrl}`,
      '',
      '| | req/s (mean) | sd | rounds |',
      '|---|---:|---:|---|',
      `| no profile | ${mean(baseline).toFixed(0)} | ${sd(baseline).toFixed(0)} | ${baseline.map((r) => r.toFixed(0)).join(', ')} |`,
      `| CPU profile running | ${mean(profiled).toFixed(0)} | ${sd(profiled).toFixed(0)} | ${profiled.map((r) => r.toFixed(0)).join(', ')} |`,
      '',
      `throughput cost of a running CPU profile: ${overheadPercent.toFixed(1)}% (median of paired rounds ${((1 - median(ratios)) * 100).toFixed(1)}%; target < 10%)`,
      '',
      '| capture (under the same load) | window | size | wall time | beyond the window | req/s meanwhile |',
      '|---|---:|---:|---:|---:|---:|',
      ...captures.map(
        (c) =>
          `| ${c.label} | ${c.windowSeconds} s | ${formatBytes(c.sizeBytes)} | ${c.wallSeconds.toFixed(2)} s | ${(c.wallSeconds - c.windowSeconds).toFixed(2)} s | ${c.rps.toFixed(0)} |`,
      ),
      '',
    ].join('\n'),
  );

  /** Requests/s under load while `path` is being captured, and the capture's size and wall time. */
  async function duringCapture(path: string, loadSeconds: number): Promise<{ rps: number; sizeBytes: number; wallSeconds: number }> {
    const startedMs = performance.now();
    const capture = fetch(`${pprofUrl}${path}`).then(async (response) => {
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
      const sizeBytes = (await response.arrayBuffer()).byteLength;
      return { sizeBytes, wallSeconds: (performance.now() - startedMs) / 1000 };
    });
    await new Promise((resolve) => setTimeout(resolve, PROFILER_SETTLE_MS));
    const rps = await drive(lab, loadSeconds);
    return { rps, ...(await capture) };
  }

  async function drive(target: LabProcess, durationSeconds: number): Promise<number> {
    const result = await autocannon({ url: `${target.appUrl}/api/work`, connections, duration: durationSeconds });
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`load against ${target.appUrl} saw ${result.non2xx} non-2xx and ${result.errors} errors`);
    }
    return result.requests.total / durationSeconds;
  }
  return 0;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runCli({ tool: TOOL, usage, parse: parseProfileOverheadArgs, main });
