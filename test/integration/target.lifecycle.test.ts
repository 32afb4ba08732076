import { randomUUID } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BenchResults } from '../../bench/results/results.js';
import { isAlive, runBench, scenarioDir, until } from '../support/bench-cli.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/target/', import.meta.url));

/** A scenario whose target is the fixture server in `mode`, started through a shell (so the service is a grandchild). */
function scenario(mode: string, marker: string, extra = ''): string {
  return `description: a command target (${mode})
target:
  command: [sh, -c, 'node server.mjs ${mode} ${marker}; echo "server ended"']
  cwd: ${JSON.stringify(FIXTURES)}
  ready: { log: 'listening on', timeout_seconds: 2 }
requests:
  - name: root
    path: /
load: { rate_rps: 20, warmup_seconds: 0, duration_seconds: ${extra === 'long' ? 30 : 1}, trials: 2, trials_per_lab: 2 }
validity: { max_late_ratio: 0.5 }
`;
}

/** Processes whose command line holds `marker` (the service, its shell, the guardian). */
function processesWith(marker: string): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes(marker) && !line.includes('ps -eo'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

async function bench(mode: string) {
  const marker = `marker-${randomUUID()}`;
  const { dir, reports } = await scenarioDir(mode, scenario(mode, marker));
  const started = Date.now();
  const run = runBench(['--no-baseline', '--scenarios-dir', dir, '--out', reports]);
  const code = await run.exited;
  return { code, seconds: (Date.now() - started) / 1000, output: run.stdout() + run.stderr(), marker, reports };
}

describe('a command target: started, measured, stopped — and bad ones end the scenario cleanly', () => {
  it('runs a service started through a shell, and leaves none of its processes behind', async () => {
    const { code, output, marker, reports } = await bench('ok');
    expect(code, output).toBe(0);
    expect(output).toContain('ok: starting the target');
    const results = JSON.parse(await readFile(`${reports}/latest/results.json`, 'utf8')) as BenchResults;
    const [outcome] = results.scenarios;
    expect(outcome?.status).toBe('ok');
    expect(outcome?.spec.target).toMatchObject({ kind: 'command', ready: { kind: 'log' }, metrics: null });
    expect(outcome?.trials[0]?.client.completed).toBeGreaterThan(10);
    // No metrics endpoint: nothing from the server's side, and no duet (it reads the server's metrics).
    expect(outcome?.trials[0]?.server.requests).toBeNull();
    expect(outcome?.trials[0]?.duet).toBeNull();
    expect(processesWith(marker)).toEqual([]);
  }, 30_000);

  it('one that exits before it is ready: its last output and one line, exit 3, within seconds', async () => {
    const { code, seconds, output, marker } = await bench('crash-start');
    expect(code, output).toBe(3);
    expect(output).toMatch(/the target "sh -c .*" in .* exited \(code 0\) before it was ready; its last output:/);
    expect(output).toContain('| boom: missing config');
    expect(seconds).toBeLessThan(10);
    expect(processesWith(marker)).toEqual([]);
  }, 30_000);

  it('one that never becomes ready: stopped after its readiness timeout, group and all', async () => {
    const { code, seconds, output, marker } = await bench('never-ready');
    expect(code, output).toBe(3);
    expect(output).toContain('was not ready within 2 s (no output line matched /listening on/); its last output:');
    expect(output).toContain('| pretending to start');
    expect(seconds).toBeLessThan(12);
    expect(processesWith(marker)).toEqual([]);
  }, 30_000);

  it('one that exits during a trial: the scenario errors with its last output', async () => {
    const { code, output, marker } = await bench('crash-mid');
    expect(code, output).toBe(3);
    expect(output).toContain('error: the target exited unexpectedly (code 0) during the run');
    expect(output).toContain('| server ended');
    expect(processesWith(marker)).toEqual([]);
  }, 30_000);

  it('answers that differ between responses fail the run (exit 4) and say what to ignore', async () => {
    const { code, output } = await bench('counter');
    expect(code, output).toBe(4);
    expect(output).toMatch(/root: INCONSISTENT: digests \{"sha256:[0-9a-f]{64}":1,/);
    expect(output).toContain('list it in answer.ignore');
  }, 30_000);

  it('kill -9 of the bench: the guardian takes the whole target group down', async () => {
    const marker = `marker-${randomUUID()}`;
    const { dir, reports } = await scenarioDir('long', scenario('ok', marker, 'long'));
    const bench = spawn(process.execPath, ['dist/bench/bin/bench.js', '--no-baseline', '--scenarios-dir', dir, '--out', reports], {
      stdio: 'ignore',
    });
    const pids = await until('the target to run', () => {
      const found = processesWith(marker);
      return found.length >= 3 ? found : null; // guardian, shell, service
    });
    bench.kill('SIGKILL');
    for (const pid of pids) await until(`process ${pid} to stop`, () => (isAlive(pid) ? null : true), 5_000).catch(() => undefined);
    expect(pids.filter(isAlive)).toEqual([]);
  }, 40_000);
});
