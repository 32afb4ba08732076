#!/usr/bin/env node
/**
 * `npm run lab:prometheus`: the lab plus a Prometheus with the shipped config and rules, on
 * loopback, for the seed's observability workflow. A thin shell: starting and stopping processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { runnableConfig, SHIPPED_PROMETHEUS_CONFIG } from '../observability/prometheus-config.js';
import { prometheusVersion, startPrometheus, type PrometheusProcess, type ProcessExit } from '../observability/prometheus-process.js';
import { graphUrl, parseWorkflowArgs, scrapeTarget, workflowUsage, type WorkflowOptions } from '../observability/workflow-args.js';
import { isEntryPoint, runCli } from '../../lib/cli.js';

const NAME = 'lab:prometheus';
const SEED_QUERIES = [
  'rate(http_requests_total[1m])',
  'histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket[5m])) by (le))',
  'histogram_quantile(0.99, sum(rate(section_duration_seconds_bucket{section="db_query"}[5m])) by (le))',
];

interface LabChild {
  child: ChildProcess;
  appUrl: string;
  pprofUrl: string | null;
  exited: Promise<ProcessExit>;
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const complain = (line: string) => process.stderr.write(`${NAME}: ${line}\n`);

export async function main(options: WorkflowOptions): Promise<number> {
  // A closed stdout (piped into `head`, a terminal gone) must not skip stopping the children.
  process.stdout.on('error', () => {});
  const root = process.cwd();

  let wantPrometheus = options.prometheusPort !== null;
  if (wantPrometheus && prometheusVersion() === null) {
    complain(
      'prometheus is not installed (no `prometheus` on PATH): starting the lab alone. Install it (Debian/Ubuntu: apt-get install prometheus) ' +
        `or point any Prometheus 2.x/3.x at ${SHIPPED_PROMETHEUS_CONFIG}.`,
    );
    wantPrometheus = false;
  }

  const lab = await startLab(root, options.labArgs);
  if (lab.kind === 'failed') return lab.exitCode;

  let prometheus: PrometheusProcess | null = null;
  let dataDir: { path: string; temporary: boolean } | null = null;
  if (wantPrometheus) {
    const started = await startPrometheusFor(root, lab.lab.appUrl, options);
    if (started.kind === 'failed') {
      complain(started.reason);
      await stopLab(lab.lab);
      if (started.dataDir?.temporary) await rm(started.dataDir.path, { recursive: true, force: true });
      return 1;
    }
    ({ prometheus, dataDir } = started);
  }

  printSummary(lab.lab, prometheus, dataDir);
  const outcome = await runUntilStopped(lab.lab, prometheus);
  if (dataDir?.temporary) await rm(dataDir.path, { recursive: true, force: true });
  return outcome;
}

type LabStart = { kind: 'ok'; lab: LabChild } | { kind: 'failed'; exitCode: number };

/** The compiled lab in its own process group (so a terminal's Ctrl+C reaches it only through us). */
async function startLab(root: string, labArgs: readonly string[]): Promise<LabStart> {
  const child = spawn(process.execPath, [resolve(root, 'dist/server/main.js'), ...labArgs], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  killOnExit(child);
  const exited = new Promise<ProcessExit>((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));
  const listening = new Promise<{ appUrl: string; pprofUrl: string | null } | null>((resolveListening) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      // The lab's structured logs pass through untouched.
      process.stdout.write(`${line}\n`);
      const entry = parseJson(line) as { event?: string; app?: { url?: string }; pprof?: { url?: string } | null } | null;
      if (entry?.event === 'listening' && typeof entry.app?.url === 'string') {
        resolveListening({ appUrl: entry.app.url, pprofUrl: entry.pprof?.url ?? null });
      }
    });
    void exited.then(() => resolveListening(null));
  });
  const ready = await listening;
  if (ready === null) {
    const { code, signal } = await exited;
    // The lab explained itself on stderr; a usage error (2) stays a usage error.
    complain(`the lab exited (${signal ?? `code ${code}`}) before it was ready`);
    return { kind: 'failed', exitCode: code === 2 ? 2 : 1 };
  }
  return { kind: 'ok', lab: { child, ...ready, exited } };
}

type PrometheusStart =
  | { kind: 'ok'; prometheus: PrometheusProcess; dataDir: { path: string; temporary: boolean } }
  | { kind: 'failed'; reason: string; dataDir: { path: string; temporary: boolean } | null };

async function startPrometheusFor(root: string, appUrl: string, options: WorkflowOptions): Promise<PrometheusStart> {
  const shippedPath = resolve(root, SHIPPED_PROMETHEUS_CONFIG);
  let shipped: string;
  try {
    shipped = await readFile(shippedPath, 'utf8');
  } catch (error) {
    return { kind: 'failed', reason: `cannot read ${shippedPath}: ${(error as Error).message}`, dataDir: null };
  }
  const config = runnableConfig(shipped, { targets: [scrapeTarget(appUrl)], shippedPath });
  if (!config.ok) return { kind: 'failed', reason: config.reason, dataDir: null };

  const dataDir =
    options.dataDir === null
      ? { path: await mkdtemp(join(tmpdir(), 'metric-lab-prometheus-')), temporary: true }
      : { path: resolve(options.dataDir), temporary: false };
  try {
    await mkdir(dataDir.path, { recursive: true });
    const configFile = join(dataDir.path, 'prometheus.yml');
    await writeFile(configFile, config.yaml);
    const prometheus = await startPrometheus({
      configFile,
      dataDir: join(dataDir.path, 'data'),
      listenAddress: `127.0.0.1:${options.prometheusPort ?? 0}`,
      detached: true,
      onLogLine: (line) => {
        // Its own "Received SIGTERM, exiting gracefully" is a warning; we sent that signal.
        if (/level=(warn|error|WARN|ERROR)/.test(line) && !line.includes('Received SIGTERM')) process.stderr.write(`prometheus: ${line}\n`);
      },
    });
    return { kind: 'ok', prometheus, dataDir };
  } catch (error) {
    const message = (error as Error).message;
    const hint = /address already in use/.test(message) ? ` (choose another port with --prometheus-port, or 0 for a free one)` : '';
    return { kind: 'failed', reason: `${message}${hint}`, dataDir };
  }
}

function printSummary(lab: LabChild, prometheus: PrometheusProcess | null, dataDir: { path: string; temporary: boolean } | null): void {
  const lines = [
    '',
    'metric-lab is running:',
    `  lab          ${lab.appUrl}/api/work`,
    `  metrics      ${lab.appUrl}/metrics`,
    `  diagnostics  ${lab.pprofUrl === null ? 'off' : `${lab.pprofUrl}/debug/pprof/`}`,
  ];
  if (prometheus) {
    lines.push(
      `  prometheus   ${prometheus.url}  (targets: ${prometheus.url}/targets, rules: ${prometheus.url}/rules, alerts: ${prometheus.url}/alerts)`,
      `  data         ${dataDir?.path ?? '?'}${dataDir?.temporary ? ' (removed on exit)' : ''}`,
      '  the seed’s queries:',
      ...SEED_QUERIES.map((q) => `    ${graphUrl(prometheus.url, q)}`),
    );
  } else {
    lines.push('  prometheus   not started');
  }
  lines.push(
    '  grafana      import observability/grafana/metric-lab.json and pick this Prometheus',
    `  load         while true; do curl -s ${lab.appUrl}/api/work > /dev/null; done`,
    prometheus ? 'Ctrl+C stops both.' : 'Ctrl+C stops the lab.',
    '',
  );
  say(lines.join('\n'));
}

/**
 * Waits for Ctrl+C/SIGTERM (stop both: the lab drains, Prometheus flushes) or for either process
 * to stop on its own (stop the other, exit 1). A second signal cuts the lab's connections and kills
 * Prometheus.
 */
async function runUntilStopped(lab: LabChild, prometheus: PrometheusProcess | null): Promise<number> {
  let signals = 0;
  let stopping: Promise<number> | null = null;
  const stopBoth = async (reason: 'signal' | 'lab-exited' | 'prometheus-exited'): Promise<number> => {
    const [labExit, prometheusExit] = await Promise.all([stopLab(lab), prometheus?.stop(10_000) ?? null]);
    if (reason === 'lab-exited') complain(`the lab stopped on its own (${describeExit(labExit)}); stopped Prometheus too`);
    if (reason === 'prometheus-exited') complain(`prometheus stopped on its own (${describeExit(prometheusExit)}); stopped the lab too`);
    if (reason !== 'signal') return 1;
    return labExit.code === 0 && (prometheusExit === null || prometheusExit.code === 0) ? 0 : 1;
  };
  return new Promise<number>((resolveOutcome) => {
    const onSignal = () => {
      signals++;
      if (signals === 1) {
        say(`${NAME}: stopping${prometheus ? ' the lab and Prometheus' : ' the lab'} (Ctrl+C again to cut in-flight requests)`);
        stopping ??= stopBoth('signal');
        void stopping.then(resolveOutcome);
      } else {
        lab.child.kill('SIGTERM'); // the lab's second signal: close every connection now
        if (prometheus) process.kill(prometheus.pid, 'SIGKILL');
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    void lab.exited.then(() => {
      stopping ??= stopBoth('lab-exited');
      void stopping.then(resolveOutcome);
    });
    void prometheus?.exited.then(() => {
      stopping ??= stopBoth('prometheus-exited');
      void stopping.then(resolveOutcome);
    });
  });
}

async function stopLab(lab: LabChild): Promise<ProcessExit> {
  if (lab.child.exitCode === null && lab.child.signalCode === null) lab.child.kill('SIGTERM');
  const timer = setTimeout(() => lab.child.kill('SIGKILL'), 15_000);
  const exit = await lab.exited;
  clearTimeout(timer);
  return exit;
}

function describeExit(exit: ProcessExit | null): string {
  if (exit === null) return 'not running';
  return exit.signal ?? `exit code ${exit.code}`;
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

/** Detached children do not die with us on their own; this makes sure they do. */
function killOnExit(child: ChildProcess): void {
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runCli({ tool: NAME, usage: workflowUsage, parse: parseWorkflowArgs, main });
