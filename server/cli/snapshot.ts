#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { parsePrometheusText } from '../../prometheus/parse-text.js';
import { snapshotFromMetrics } from '../metrics/snapshot-from-metrics.js';
import { formatSnapshotTable } from '../metrics/snapshot-table.js';
import { isEntryPoint, oneLine, runCli, type Parsed } from '../../lib/cli.js';

const DEFAULT_URL = 'http://127.0.0.1:8080';
const TIMEOUT_MS = 5_000;
const HINT = 'is the lab running? npm start';

export interface SnapshotOptions {
  metricsUrl: string;
  json: boolean;
}

type Scrape = { ok: true; text: string } | { ok: false; reason: string };

function usage(): string {
  return [
    'Usage: npm run snapshot -- [--url URL] [--json]',
    '',
    "Scrapes the lab's /metrics and prints Go's LogSnapshot table: per section and business",
    'operation the count, mean and p50/p95/p99 in ms (interpolated from the Prometheus buckets with',
    "histogram_quantile's rules), then the counters. Works against any running lab, no Prometheus needed.",
    '',
    `  --url URL    the lab's base URL, or its full /metrics URL [default ${DEFAULT_URL}]`,
    '  --json       print the snapshot as JSON (NaN percentiles become null)',
    '  -h, --help   show this help',
    '',
    `Exit codes: 0 printed, 1 lab unreachable or not serving Prometheus metrics (${TIMEOUT_MS / 1000} s timeout), 2 bad usage.`,
  ].join('\n');
}

/** Parses `npm run snapshot` flags (pure). */
export function parseSnapshotArgs(argv: readonly string[]): Parsed<SnapshotOptions> {
  let values: { url?: string | undefined; json?: boolean | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: { url: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    return { kind: 'error', message: oneLine(error) };
  }
  if (values.help === true) return { kind: 'help' };
  const given = values.url ?? DEFAULT_URL;
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    return { kind: 'error', message: `--url: expected an http:// or https:// URL, got ${JSON.stringify(given)}` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { kind: 'error', message: `--url: expected an http:// or https:// URL, got ${JSON.stringify(given)}` };
  }
  if (!url.pathname.endsWith('/metrics')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/metrics`;
  url.search = '';
  url.hash = '';
  return { kind: 'ok', options: { metricsUrl: url.href, json: values.json === true } };
}

async function scrape(url: string, timeoutMs: number): Promise<Scrape> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'text/plain' } });
    if (!response.ok) {
      await response.body?.cancel();
      return { ok: false, reason: `answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}` };
    }
    return { ok: true, text: await response.text() };
  } catch (error) {
    return { ok: false, reason: describeFetchError(error, timeoutMs) };
  }
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no complete answer within ${timeoutMs / 1000} s`;
  }
  const cause = error instanceof Error ? (error.cause as (Error & { code?: string }) | undefined) : undefined;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection closed before the response was complete';
    default:
      return cause?.message ?? (error instanceof Error ? error.message : String(error));
  }
}

export async function main(options: SnapshotOptions): Promise<number> {
  const fail = (what: string) => {
    process.stderr.write(`snapshot: ${options.metricsUrl}: ${what} (${HINT})\n`);
    return 1;
  };
  const scraped = await scrape(options.metricsUrl, TIMEOUT_MS);
  if (!scraped.ok) return fail(scraped.reason);
  const parsed = parsePrometheusText(scraped.text);
  if (!parsed.ok) return fail(`not Prometheus text: line ${parsed.error.line}: ${parsed.error.message}`);
  const result = snapshotFromMetrics(parsed.families);
  if (!result.ok) return fail(`not the lab's metrics: ${result.error}`);
  const output = options.json ? JSON.stringify(result.snapshot, null, 2) : formatSnapshotTable(result.snapshot);
  process.stdout.write(`${output}\n`);
  return 0;
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runCli({ tool: 'snapshot', usage, parse: parseSnapshotArgs, main });
