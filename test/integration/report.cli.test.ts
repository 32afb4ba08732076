import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function report(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['dist/bench/bin/report.js', ...args], (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('npm run report', () => {
  it('--help documents the run folder argument and the exit codes', async () => {
    const run = await report(['--help']);
    expect(run.code).toBe(0);
    for (const text of ['RUN_DIR', '--all', 'Exit codes', 'offline']) expect(run.stdout).toContain(text);
  });

  it('regenerates a run report and the runs index from results.json', async () => {
    const reports = join(await mkdtemp(join(tmpdir(), 'metric-lab-report-cli-')), 'reports');
    const runDir = join(reports, '20261126-045424-4149');
    await mkdir(runDir, { recursive: true });
    await writeFile(join(runDir, 'results.json'), await readFile(new URL('../fixtures/report/results.json', import.meta.url)));
    const run = await report([join(runDir, 'results.json')]);
    expect(run.code, run.stderr).toBe(0);
    expect(await readFile(join(runDir, 'index.html'), 'utf8')).toContain('metric-lab report 20261126-045424-4149');
    expect(await readFile(join(reports, 'index.html'), 'utf8')).toContain('href="20261126-045424-4149/index.html"');
    const all = await report(['--all', '--reports', reports]);
    expect(all.stdout).toContain('regenerated 1 run report(s)');
  });

  it('answers bad input with one line naming the problem and exit 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'metric-lab-report-cli-'));
    await writeFile(join(dir, 'results.json'), JSON.stringify({ schemaVersion: 99 }));
    const cases: Array<[string[], RegExp]> = [
      [
        [join(dir, 'missing')],
        /^report: RUN_DIR: expected a run folder holding results\.json, found no folder at .*missing \(see --help\)\n$/,
      ],
      [[dir], /^report: .*results\.json: expected schemaVersion 1, found 99 \(see --help\)\n$/],
      [['a', 'b'], /^report: expected at most one RUN_DIR, got 2: a b \(see --help\)\n$/],
      [['--bogus'], /^report: Unknown option '--bogus'.* \(see --help\)\n$/],
    ];
    for (const [args, message] of cases) {
      const run = await report(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });
});
