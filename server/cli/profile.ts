#!/usr/bin/env node
/** `npm run profile`: capture a profile, heap profile or trace from a running lab and save it. */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { get, type IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { isEntryPoint, oneLine, runCli, type Parsed } from '../../lib/cli.js';
import { CAPTURE_SECONDS } from '../diagnostics/limits.js';
import { CPU_FORMATS, HEAP_FORMATS, HEAP_MODES, formatParamError, parseChoice, parseSeconds } from '../diagnostics/params.js';

const KINDS = ['cpu', 'heap', 'trace'] as const;
type Kind = (typeof KINDS)[number];
const ENDPOINT: Record<Kind, string> = { cpu: 'profile', heap: 'heap', trace: 'trace' };
const SECONDS_BOUNDS = { cpu: CAPTURE_SECONDS.profile, heap: CAPTURE_SECONDS.heap, trace: CAPTURE_SECONDS.trace } as const;
const DEFAULT_URL = 'http://127.0.0.1:6060';
const DEFAULT_OUT_DIR = 'reports/';

export interface ProfileOptions {
  kind: Kind;
  /** null: the server's default for the kind. */
  seconds: number | null;
  format: 'pprof' | 'cpuprofile' | 'heapsnapshot' | 'json';
  mode: 'inuse' | 'alloc' | null;
  gc: boolean;
  baseUrl: URL;
  /** A file, or a directory (ending in `/` or existing) that gets the server's file name. */
  out: string;
}

function usage(): string {
  return [
    'Usage: npm run profile -- --kind cpu|heap|trace [options]',
    '',
    'Captures from a running metric lab (npm start) through its diagnostics server, saves the file',
    'and prints the command that opens it.',
    '',
    'Options:',
    '  --kind KIND       cpu | heap | trace                                          [cpu]',
    `  --seconds N       capture window; server defaults: cpu ${CAPTURE_SECONDS.profile.defaultSeconds}, heap ${CAPTURE_SECONDS.heap.defaultSeconds}, trace ${CAPTURE_SECONDS.trace.defaultSeconds}`,
    `  --out PATH        file to write, or a directory ending in / for the server's file name [${DEFAULT_OUT_DIR}]`,
    `  --url URL         the diagnostics server                      [${DEFAULT_URL}]`,
    '  --format FORMAT   cpu: pprof | cpuprofile; heap: pprof | heapsnapshot        [pprof]',
    '  --mode MODE       heap: inuse (still live at the end) | alloc (all sampled)   [inuse]',
    '  --gc              heap: collect garbage before reading an inuse profile',
    '  -h, --help        show this help',
    '',
    'Examples:',
    '  npm run profile -- --kind cpu --seconds 10 --out reports/cpu.pb.gz',
    '  npm run profile -- --kind cpu --seconds 10 --format cpuprofile',
    '  npm run profile -- --kind heap --seconds 10 --mode alloc',
    '  npm run profile -- --kind trace --seconds 2',
    '',
    'Exit codes: 0 saved, 1 capture failed (server unreachable, busy or erroring), 2 bad usage.',
  ].join('\n');
}

/** Parses `npm run profile` flags (pure). */
export function parseProfileArgs(argv: readonly string[]): Parsed<ProfileOptions> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        kind: { type: 'string' },
        seconds: { type: 'string' },
        out: { type: 'string' },
        url: { type: 'string' },
        format: { type: 'string' },
        mode: { type: 'string' },
        gc: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: oneLine(error) };
  }
  if (values.help === true) return { kind: 'help' };
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : null);
  const flagError = (flag: string, expected: string, received: string): Parsed<ProfileOptions> => ({
    kind: 'error',
    message: `--${flag}: expected ${expected}, got ${JSON.stringify(received)}`,
  });

  const kindResult = parseChoice('kind', text('kind'), KINDS);
  if (!kindResult.ok) return flagError('kind', kindResult.error.expected, kindResult.error.received);
  const kind = kindResult.value;

  let seconds: number | null = null;
  if (text('seconds') !== null) {
    const result = parseSeconds(text('seconds'), SECONDS_BOUNDS[kind]);
    if (!result.ok) return { kind: 'error', message: `--${formatParamError(result.error)} (for --kind ${kind})` };
    seconds = result.value;
  }

  const formats = kind === 'cpu' ? CPU_FORMATS : kind === 'heap' ? HEAP_FORMATS : (['json'] as const);
  const formatResult = parseChoice('format', text('format'), formats);
  if (!formatResult.ok) return flagError('format', `${formatResult.error.expected} for --kind ${kind}`, formatResult.error.received);

  if (kind !== 'heap' && (text('mode') !== null || values.gc === true)) {
    return { kind: 'error', message: `--${text('mode') !== null ? 'mode' : 'gc'}: applies to --kind heap only, got --kind ${kind}` };
  }
  const modeResult = parseChoice('mode', text('mode'), HEAP_MODES);
  if (!modeResult.ok) return flagError('mode', modeResult.error.expected, modeResult.error.received);

  const rawUrl = text('url') ?? DEFAULT_URL;
  let baseUrl: URL;
  try {
    baseUrl = new URL(rawUrl);
  } catch {
    return flagError('url', 'an http:// URL such as http://127.0.0.1:6060', rawUrl);
  }
  if (baseUrl.protocol !== 'http:') return flagError('url', 'an http:// URL such as http://127.0.0.1:6060', rawUrl);

  const out = text('out') ?? DEFAULT_OUT_DIR;
  if (out === '') return flagError('out', 'a file or directory path', out);
  return {
    kind: 'ok',
    options: {
      kind,
      seconds,
      format: formatResult.value,
      mode: kind === 'heap' ? modeResult.value : null,
      gc: values.gc === true,
      baseUrl,
      out,
    },
  };
}

function captureUrl(options: ProfileOptions): URL {
  const url = new URL(`/debug/pprof/${ENDPOINT[options.kind]}`, options.baseUrl);
  if (options.seconds !== null) url.searchParams.set('seconds', String(options.seconds));
  if (options.format !== 'pprof' && options.format !== 'json') url.searchParams.set('format', options.format);
  if (options.mode !== null && options.format === 'pprof') url.searchParams.set('mode', options.mode);
  if (options.gc) url.searchParams.set('gc', '1');
  return url;
}

/** How to look at what was saved; paths quoted for a POSIX shell where needed. */
function openInstructions(options: ProfileOptions, file: string): string[] {
  const path = /^[\w./@:+-]+$/.test(file) ? file : `'${file.replaceAll("'", "'\\''")}'`;
  switch (options.format) {
    case 'pprof':
      // A fixed port: Go 1.19's pprof (Debian 12) prints and opens ":0" literally for -http=...:0.
      return [`go tool pprof -http=127.0.0.1:8081 ${path}`, `go tool pprof -top ${path}`];
    case 'cpuprofile':
      return [`Chrome DevTools: Performance panel > "Load profile..." > ${path}`, `or drag ${path} onto https://www.speedscope.app`];
    case 'heapsnapshot':
      return [`Chrome DevTools: Memory panel > "Load profile..." > ${path}`];
    case 'json':
      return [`open https://ui.perfetto.dev and drag ${path} in (or load it in chrome://tracing)`];
  }
}

type Fetched = { status: 'ok'; response: IncomingMessage } | { status: 'failed'; message: string };

function request(url: URL, signal: AbortSignal): Promise<Fetched> {
  return new Promise((resolve) => {
    // node:http rather than fetch: undici's 300 s headers timeout would cut a 300 s profile.
    const req = get(url, { signal }, (response) => resolve({ status: 'ok', response }));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (signal.aborted) resolve({ status: 'failed', message: 'cancelled; the server stops the capture' });
      else if (error.code === 'ECONNREFUSED') {
        resolve({
          status: 'failed',
          message: `cannot reach the diagnostics server at ${url.origin} (connection refused); is the lab running (npm start)? see --url`,
        });
      } else resolve({ status: 'failed', message: `request to ${url.origin} failed: ${error.message}` });
    });
  });
}

async function readBody(response: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of response) body += String(chunk);
  return body;
}

function serverFileName(response: IncomingMessage): string | null {
  const match = /filename="([^"/\\]+)"/.exec(response.headers['content-disposition'] ?? '');
  return match?.[1] ?? null;
}

async function isDirectoryTarget(out: string): Promise<boolean> {
  if (out.endsWith('/')) return true;
  try {
    return (await stat(out)).isDirectory();
  } catch {
    return false;
  }
}

export async function main(options: ProfileOptions): Promise<number> {
  const url = captureUrl(options);
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const window = options.format === 'heapsnapshot' ? 'a heap snapshot' : `${options.seconds ?? 'the default'} s`;
  process.stderr.write(`capturing ${options.kind} (${window}) from ${url.href} ...\n`);

  const startedMs = performance.now();
  const fetched = await request(url, controller.signal);
  if (fetched.status === 'failed') {
    process.stderr.write(`metric-lab profile: ${fetched.message}\n`);
    return 1;
  }
  const { response } = fetched;
  if (response.statusCode !== 200) {
    const body = await readBody(response);
    let message = body.trim().slice(0, 500);
    try {
      message = (JSON.parse(body) as { message?: string }).message ?? message;
    } catch {
      // Not our server's JSON error: show the text as it came.
    }
    process.stderr.write(`metric-lab profile: the server answered ${response.statusCode}: ${message}\n`);
    return 1;
  }

  const file = (await isDirectoryTarget(options.out))
    ? join(options.out, serverFileName(response) ?? `metric-lab-${options.kind}-${Date.now()}`)
    : options.out;
  const partial = `${file}.partial`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await pipeline(response, createWriteStream(partial));
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    const reason = controller.signal.aborted ? 'cancelled' : (error as Error).message;
    process.stderr.write(`metric-lab profile: could not save ${file}: ${reason}\n`);
    return 1;
  }
  const sizeBytes = (await stat(file)).size;
  const stoppedEarly = response.headers['x-capture-stopped-early'] === 'true' ? ' (cut short: the server was shutting down)' : '';
  process.stdout.write(
    [
      `saved ${file} (${formatBytes(sizeBytes)}, ${((performance.now() - startedMs) / 1000).toFixed(1)} s)${stoppedEarly}`,
      'open it with:',
      ...openInstructions(options, file).map((line) => `  ${line}`),
      '',
    ].join('\n'),
  );
  return 0;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runCli({ tool: 'metric-lab profile', usage, parse: parseProfileArgs, main });
