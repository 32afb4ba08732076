import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { BenchResults } from '../../bench/results/results.js';

const run = promisify(execFile);

/** npm commands, bounded; the shared npm cache makes the install mostly offline. */
async function npm(args: string[], cwd: string, timeoutMs: number): Promise<{ stdout: string; stderr: string }> {
  return run('npm', args, {
    cwd,
    timeout: timeoutMs,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
}

async function registryReachable(): Promise<boolean> {
  try {
    await npm(['ping', '--fetch-timeout=10000', '--fetch-retries=0'], tmpdir(), 20_000);
    return true;
  } catch {
    return false;
  }
}

const TINY = `description: a tiny scenario written in the installing project
server: { db_min_ms: 1, db_max_ms: 2, loop_iterations: 1000 }
load: { rate_rps: 20, warmup_seconds: 0, duration_seconds: 1, trials: 1, duet_seconds: 0 }
`;

describe('the packed package, installed as a dev dependency of another project', () => {
  it('npm pack → npm install --save-dev the tarball → npx metric-lab bench runs there', async (context) => {
    if (!(await registryReachable())) context.skip('the npm registry is unreachable: dependencies of the tarball cannot be installed');
    const work = await mkdtemp(join(tmpdir(), 'metric-lab-pack-'));
    // prepack builds dist/; the tarball is what a user gets.
    const packed = await npm(['pack', '--pack-destination', work, '--json'], process.cwd(), 120_000);
    const [{ filename, files }] = JSON.parse(packed.stdout) as [{ filename: string; files: Array<{ path: string }> }];
    const paths = files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['dist/bench/bin/metric-lab.js', 'dist/server/main.js', 'bench/report/client/report-client.js']),
    );
    expect(paths.filter((p) => p.startsWith('test/') || p.endsWith('.ts') || p.endsWith('.map'))).toEqual([]);

    const project = join(work, 'project');
    await mkdir(join(project, 'scenarios'), { recursive: true });
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'someone-elses-service', version: '1.0.0', private: true }));
    await writeFile(join(project, 'scenarios', 'tiny.yaml'), TINY);
    await npm(['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', join(work, filename)], project, 240_000);
    const manifest = JSON.parse(await readFile(join(project, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
    expect(Object.keys(manifest.devDependencies ?? {})).toEqual(['metric-lab']);

    const help = await run('npx', ['--no-install', 'metric-lab', 'bench', '--help'], { cwd: project, timeout: 30_000 });
    expect(help.stdout).toContain('Usage: metric-lab bench [options]');

    const bench = await run('npx', ['--no-install', 'metric-lab', 'bench'], { cwd: project, timeout: 60_000 });
    expect(bench.stderr).toContain('all scenarios passed (exit 0)');
    // The lab came from node_modules; the results and the report landed in the project.
    const [runId] = (await readdir(join(project, 'reports'))).filter((name) => /^\d{8}-/.test(name));
    const results = JSON.parse(await readFile(join(project, 'reports', runId as string, 'results.json'), 'utf8')) as BenchResults;
    expect(results.scenarios.map((s) => [s.name, s.status])).toEqual([['tiny', 'ok']]);
    expect(results.scenarios[0]?.trials[0]?.server.requests?.count).toBeGreaterThan(10);
    expect(await readFile(join(project, 'reports', runId as string, 'index.html'), 'utf8')).toContain('uPlot');

    // 0x and clinic are optional peers: not installed with the package, named when a profile needs one.
    expect(existsSync(join(project, 'node_modules', '0x'))).toBe(false);
    expect(existsSync(join(project, 'node_modules', 'clinic'))).toBe(false);
    const profiled = await run('npx', ['--no-install', 'metric-lab', 'bench', '--profile', '0x'], { cwd: project, timeout: 30_000 }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(profiled.code).toBe(2);
    expect(profiled.stderr).toMatch(
      /^[\w -]+: --profile 0x: 0x is not installed \(an optional peer dependency of metric-lab\): npm install --save-dev 0x@\^6\n$/,
    );
  }, 420_000);
});
