import { spawn } from 'node:child_process';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnLab, type SpawnedLab } from '../support/spawned-lab.js';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled snapshot CLI (built by the test globalSetup) as a real child process. */
function runCli(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['dist/server/cli/snapshot.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A loopback server answering every request with `handler`; `null` never answers. */
async function fakeServer(handler: ((res: ServerResponse) => void) | null): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => handler?.(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const REQUESTS = 4;
const LOOP_ITERATIONS = 1_000;

describe('npm run snapshot against a running lab', () => {
  let lab: SpawnedLab;

  beforeAll(async () => {
    lab = await spawnLab();
    for (let i = 0; i < REQUESTS; i++) {
      const response = await fetch(`${lab.appUrl}/api/work?db_min_ms=0&db_max_ms=1&loop_iterations=${LOOP_ITERATIONS}`);
      expect(response.status).toBe(200);
      await response.text();
    }
  });

  afterAll(async () => {
    lab.child.kill('SIGTERM');
    await lab.exited;
  });

  it('prints a row per section and operation with the request count, then the counters; exit 0', async () => {
    const run = await runCli(['--url', lab.appUrl]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^section\s+count\s+avg_ms\s+p50_ms\s+p95_ms\s+p99_ms$/m);
    for (const section of ['db_query', 'json_encode', 'loop', 'work_handler', 'work_total']) {
      expect(run.stdout).toMatch(new RegExp(`^${section}\\s+${REQUESTS}(\\s+\\d+\\.\\d{3}){4}$`, 'm'));
    }
    expect(run.stdout).toMatch(new RegExp(`^loop_iterations\\s+${REQUESTS * LOOP_ITERATIONS}$`, 'm'));
    expect(run.stdout).toMatch(/^json_encode_error\s+0$/m);
    expect(run.stdout).toMatch(new RegExp(`^http_requests\\s+${REQUESTS}$`, 'm'));
    expect(run.stdout).toContain('percentiles: interpolated from Prometheus buckets');
  });

  it('--json prints the snapshot as JSON only', async () => {
    const run = await runCli(['--json', '--url', `${lab.appUrl}/metrics`]);
    expect(run.code).toBe(0);
    const snapshot = JSON.parse(run.stdout) as {
      source: string;
      sections: Array<{ section: string; count: number }>;
      counters: Record<string, number>;
    };
    expect(snapshot.source).toBe('prometheus-buckets');
    expect(snapshot.sections.find((s) => s.section === 'db_query')?.count).toBe(REQUESTS);
    expect(snapshot.counters['loop_iterations']).toBe(REQUESTS * LOOP_ITERATIONS);
  });

  it('a URL that answers 404 is a bad response: exit 1, one line naming the URL and the status', async () => {
    const run = await runCli(['--url', `${lab.appUrl}/nothing-here`]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`snapshot: ${lab.appUrl}/nothing-here/metrics: answered HTTP 404 Not Found (is the lab running? npm start)\n`);
  });
});

describe('npm run snapshot failures', () => {
  it('nothing listening: exit 1 with one line naming the URL, the refusal and the hint', async () => {
    const { server, url } = await fakeServer(null);
    await closeServer(server);
    const run = await runCli(['--url', url]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`snapshot: ${url}/metrics: connection refused (is the lab running? npm start)\n`);
  });

  it('a server that does not speak Prometheus text: exit 1 naming the line and the fault', async () => {
    const { server, url } = await fakeServer((res) => res.end('<html>hello</html>\n'));
    try {
      const run = await runCli(['--url', url]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(`^snapshot: ${url}/metrics: not Prometheus text: line 1: .+\\(is the lab running\\? npm start\\)\\n$`),
      );
    } finally {
      await closeServer(server);
    }
  });

  it('a server that never answers: exit 1 after the 5 s timeout', async () => {
    const { server, url } = await fakeServer(null);
    try {
      const run = await runCli(['--url', url]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`snapshot: ${url}/metrics: no complete answer within 5 s (is the lab running? npm start)\n`);
    } finally {
      await closeServer(server);
    }
  });

  it.each([
    [['--bogus'], /^snapshot: Unknown option '--bogus'.*\(see --help\)\n$/],
    [['--url', 'localhost:8080'], /^snapshot: --url: expected an http:\/\/ or https:\/\/ URL, got "localhost:8080" \(see --help\)\n$/],
    [['--url', 'not a url'], /^snapshot: --url: expected an http:\/\/ or https:\/\/ URL, got "not a url" \(see --help\)\n$/],
    [['--url'], /^snapshot: Option '--url <value>' argument missing \(see --help\)\n$/],
    [['extra'], /^snapshot: Unexpected argument 'extra'.*\n$/],
  ])('usage error %j: exit 2 with one line', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('--help prints usage and the exit codes; exit 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: npm run snapshot -- [--url URL] [--json]');
    expect(run.stdout).toContain('default http://127.0.0.1:8080');
    expect(run.stdout).toMatch(/Exit codes: 0 .*, 1 .*, 2 bad usage/);
  });
});
