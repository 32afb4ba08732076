import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { BenchResults } from '../../bench/results/results.js';
import type { BaselineFile } from '../../ci/baseline/store.js';

const exec = promisify(execFile);
const METRIC_LAB = resolve('dist/bench/bin/metric-lab.js');

/** metric-lab as another project runs it: its working directory is that project. */
async function metricLab(project: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [METRIC_LAB, ...args], { cwd: project, timeout: 150_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

const latest = async (project: string) =>
  JSON.parse(await readFile(join(project, 'reports', 'latest', 'results.json'), 'utf8')) as BenchResults;

/** The example copied into a fresh git repository, sharing this checkout's node_modules (express, prom-client). */
async function exampleRepo(): Promise<string> {
  const project = await mkdtemp(join(tmpdir(), 'metric-lab-example-'));
  await cp('examples/express-service', project, { recursive: true });
  await symlink(resolve('node_modules'), join(project, 'node_modules'), 'dir');
  await writeFile(join(project, '.gitignore'), 'node_modules\nreports/\n');
  const git = (...args: string[]) => exec('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: project });
  await git('init', '-q');
  await git('add', '.');
  await git('commit', '-qm', 'the example service');
  return project;
}

describe('the example service, the whole flow: start, load, its /metrics, answers baselined, A/B against a changed copy', () => {
  it('baselines its answers, then catches a slowdown and a changed answer against the unchanged commit', async () => {
    const project = await exampleRepo();

    const recorded = await metricLab(project, ['baseline', '--reason', 'first', '--trials', '2']);
    expect(recorded.code, recorded.output).toBe(0);
    const first = await latest(project);
    const [outcome] = first.scenarios;
    expect(outcome?.status).toBe('ok');
    for (const trial of outcome?.trials ?? []) {
      // Server timings from the service's own /metrics: its request histogram for /primes, its sections, its CPU.
      expect(trial.server.requests?.count).toBeGreaterThan(10);
      expect(Object.keys(trial.server.sections).sort()).toEqual(['primes', 'quote']);
      expect(trial.server.cpuSeconds).toBeGreaterThan(0);
      expect(trial.metrics['section.primes.mean_ms']).toBeGreaterThan(0);
    }
    const baseline = JSON.parse(await readFile(join(project, 'ci/baselines/service.json'), 'utf8')) as BaselineFile;
    expect(baseline.correctness).toEqual([
      { variant: 'primes', checksum: null, payloadDigest: null, status: '200', digest: expect.stringMatching(/^sha256:/) },
      { variant: 'quote', checksum: null, payloadDigest: null, status: '200', digest: expect.stringMatching(/^sha256:/) },
    ]);

    // The changed copy: three times the primes work, and a different tax rate (a changed answer).
    const server = join(project, 'server.js');
    const code = await readFile(server, 'utf8');
    const changed = code
      .replace(
        "section('primes', () => primesBelow(limit))",
        "section('primes', () => (primesBelow(limit), primesBelow(limit), primesBelow(limit)))",
      )
      .replace('const TAX_RATE = 0.2;', 'const TAX_RATE = 0.21;');
    expect(changed).not.toBe(code);
    await writeFile(server, changed);

    const againstBaseline = await metricLab(project, ['bench', '--trials', '1', '--max-looks', '1']);
    expect(againstBaseline.code, againstBaseline.output).toBe(4);
    expect(againstBaseline.output).toContain('CORRECTNESS service/quote: answers changed');

    const ab = await metricLab(project, ['bench', '--against', 'HEAD', '--max-looks', '1', '--no-regression-profile']);
    expect(ab.code, ab.output).toBe(4);
    const gate = (await latest(project)).gate;
    expect(gate?.mode).toBe('against');
    expect(gate?.correctness.map((c) => [c.variant, c.status])).toEqual([
      ['primes', 'same'],
      ['quote', 'changed'],
    ]);
    const primes = gate?.metrics.find((m) => m.metric === 'section.primes.mean_ms');
    expect(primes?.verdict, JSON.stringify(primes)).toBe('regression');
    expect(primes?.changePercent).toBeGreaterThan(100);
  }, 300_000);
});
