import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLabWithPprof, type LabWithPprof } from '../support/diagnostics-fixtures.js';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: readonly string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/server/cli/profile.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run profile (server/cli/profile.ts)', () => {
  let lab: LabWithPprof;
  const dir = mkdtempSync(join(tmpdir(), 'metric-lab-profile-cli-'));
  beforeAll(async () => {
    lab = await startLabWithPprof();
  });
  afterAll(async () => {
    await lab.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--help documents the flags and exit codes, exit 0', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--kind', '--seconds', '--out', '--url', '--format']) expect(run.stdout).toContain(flag);
    expect(run.stdout).toContain('Exit codes: 0');
  });

  it('saves a CPU profile to the named file and prints the command that opens it', async () => {
    const file = join(dir, 'cpu.pb.gz');
    const run = await runCli(['--kind', 'cpu', '--seconds', '0.5', '--out', file, '--url', lab.pprofUrl]);
    expect(run.code).toBe(0);
    expect(statSync(file).size).toBeGreaterThan(0);
    expect(run.stdout).toContain(`go tool pprof -http=127.0.0.1:8081 ${file}`);
  });

  it('names the file after the server when --out is a directory, and points traces at Perfetto', async () => {
    const out = join(dir, 'traces') + '/';
    const run = await runCli(['--kind', 'trace', '--seconds', '0.3', '--out', out, '--url', lab.pprofUrl]);
    expect(run.code).toBe(0);
    const [name] = readdirSync(out);
    expect(name).toMatch(/^metric-lab-trace-\d{8}T\d{6}Z-0\.3s\.json$/);
    expect(run.stdout).toContain('ui.perfetto.dev');
  });

  it.each([
    [['--kind', 'gpu'], '--kind: expected one of cpu, heap, trace, got "gpu"'],
    [['--kind', 'trace', '--seconds', '90'], '--seconds: expected a number of seconds from 0.1 to 60, got "90" (for --kind trace)'],
    [['--kind', 'heap', '--format', 'cpuprofile'], '--format: expected one of pprof, heapsnapshot for --kind heap, got "cpuprofile"'],
    [['--url', 'ftp://x'], '--url: expected an http:// URL such as http://127.0.0.1:6060, got "ftp://x"'],
  ])('bad usage %j: one clear line, exit 2', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`metric-lab profile: ${message} (see --help)\n`);
  });

  it('a server that is not there: exit 1 with a hint, no stack trace', async () => {
    const run = await runCli(['--kind', 'cpu', '--seconds', '0.2', '--out', dir + '/', '--url', 'http://127.0.0.1:9']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot reach the diagnostics server at http://127.0.0.1:9');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
