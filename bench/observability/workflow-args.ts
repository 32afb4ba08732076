/** `npm run lab:prometheus`: its own flags, and everything else passed through to the lab. Pure. */

export const DEFAULT_PROMETHEUS_PORT = 9090;

export interface WorkflowOptions {
  /** null: start the lab alone. */
  prometheusPort: number | null;
  /** null: a temporary directory, removed on exit. */
  dataDir: string | null;
  /** Flags for `npm start`, untouched (the lab validates them itself). */
  labArgs: string[];
}

import type { Parsed } from '../../lib/cli.js';

export type WorkflowCommand = Parsed<WorkflowOptions>;

export function workflowUsage(): string {
  return [
    'Usage: npm run lab:prometheus -- [options] [lab flags]',
    '',
    'Builds and starts the lab and, where `prometheus` is installed, a Prometheus that scrapes it with',
    'observability/prometheus/prometheus.yml and its recording and alerting rules, both on loopback.',
    'Prints the URLs (and links to the seed’s queries); Ctrl+C stops both cleanly.',
    '',
    `  --prometheus-port N   Prometheus' web UI and API port, on 127.0.0.1 (0 picks a free one) [default ${DEFAULT_PROMETHEUS_PORT}]`,
    "  --data-dir DIR        keep Prometheus' data in DIR [default: a temporary directory, removed on exit]",
    '  --no-prometheus       start the lab alone',
    '  -h, --help            show this help',
    '',
    'Every other flag goes to the lab (npm start -- --help lists them), e.g. --port 8081, --workers 2,',
    '--db-max-ms 400. The lab listens on 127.0.0.1:8080 and its diagnostics on 127.0.0.1:6060 by default.',
    'Grafana: import observability/grafana/metric-lab.json and pick this Prometheus as its data source.',
    '',
    'Exit codes: 0 both stopped cleanly, 1 the lab or Prometheus failed to start or stopped on its own,',
    '2 bad usage (here or in a lab flag).',
  ].join('\n');
}

export function parseWorkflowArgs(argv: readonly string[]): WorkflowCommand {
  let prometheusPort: number | null = DEFAULT_PROMETHEUS_PORT;
  let dataDir: string | null = null;
  let noPrometheus = false;
  const labArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | { error: string } => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) return { error: `${flag}: expected a value, got nothing` };
      i++;
      return next;
    };
    if (flag === '-h' || flag === '--help') return { kind: 'help' };
    if (flag === '--no-prometheus') {
      noPrometheus = true;
    } else if (flag === '--prometheus-port') {
      const given = value();
      if (typeof given !== 'string') return { kind: 'error', message: given.error };
      const port = /^\d+$/.test(given) ? Number(given) : Number.NaN;
      if (!(port >= 0 && port <= 65535))
        return { kind: 'error', message: `--prometheus-port: expected an integer in [0, 65535], got ${JSON.stringify(given)}` };
      prometheusPort = port;
    } else if (flag === '--data-dir') {
      const given = value();
      if (typeof given !== 'string') return { kind: 'error', message: given.error };
      if (given === '') return { kind: 'error', message: '--data-dir: expected a directory, got ""' };
      dataDir = given;
    } else {
      labArgs.push(arg);
    }
  }
  return { kind: 'ok', options: { prometheusPort: noPrometheus ? null : prometheusPort, dataDir, labArgs } };
}

/** A link that opens a query in Prometheus' graph page. */
export function graphUrl(prometheusUrl: string, promql: string): string {
  return `${prometheusUrl}/graph?g0.expr=${encodeURIComponent(promql)}&g0.tab=0&g0.range_input=15m`;
}

/** A scrape target for a lab URL: a wildcard bind address is scraped over loopback. */
export function scrapeTarget(appUrl: string): string {
  const url = new URL(appUrl);
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (url.hostname === '[::]') url.hostname = '[::1]';
  return url.host;
}
