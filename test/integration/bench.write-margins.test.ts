import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResults } from '../../bench/results/results.js';
import { runBench, scenarioDir } from '../support/bench-cli.js';

const TINY = `description: tiny calibration scenario
server:
  db_min_ms: 1
  db_max_ms: 2
  loop_iterations: 100000
load:
  rate_rps: 40
  warmup_seconds: 0.2
  duration_seconds: 0.3
  trials: 6
  trials_per_lab: 6
gate:
  duet.cpu_ms_per_request: "+10%"
  server_cpu_ms_per_request: "+10%"   # the shipped guess
  error_ratio: "+0.01"
validity:
  min_rate_ratio: 0.5
  max_late_ratio: 0.5
`;

describe('npm run bench -- --calibrate --write-margins', () => {
  it('writes the margins this noise supports into the scenario file, each with its reason, and nothing else', async () => {
    const { dir, reports } = await scenarioDir('tiny', TINY);
    const run = runBench(['--scenarios-dir', dir, '--out', reports, '--calibrate', '--write-margins', '--no-regression-profile']);
    expect(await run.exited, run.stderr()).toBe(0);
    expect(run.stderr()).toContain(`wrote margins to ${join(dir, 'tiny.yaml')}`);
    expect(run.stdout()).toMatch(/margin \(95% pass\)/);

    const results = JSON.parse(await readFile(join(reports, 'latest', 'results.json'), 'utf8')) as BenchResults;
    const rows = results.calibration?.rows ?? [];
    expect(rows.map((r) => [r.metric, r.design])).toEqual([
      ['duet.cpu_ms_per_request', 'paired'],
      ['server_cpu_ms_per_request', 'paired'],
    ]);
    const written = await readFile(join(dir, 'tiny.yaml'), 'utf8');
    for (const row of rows) {
      expect(row.proposedMargin).not.toBeNull();
      const percent = `+${Number(((row.proposedMargin as number) * 100).toFixed(1))}%`;
      expect(written).toMatch(
        new RegExp(
          `\\n  ${row.metric}: "\\${percent}"  # calibrated \\d{4}-\\d\\d-\\d\\d: noise [\\d.]+% \\(A/A, 6 paired trials, planned on its 80% bound [\\d.]+%\\); passes unchanged code in 95% of runs, `,
        ),
      );
    }
    // Everything but the two margin lines is as it was: the absolute rule and the rest untouched.
    const unchanged = (text: string) =>
      text.split('\n').filter((line) => !/^ {2}(duet\.cpu_ms_per_request|server_cpu_ms_per_request):/.test(line));
    expect(unchanged(written)).toEqual(unchanged(TINY));
  }, 90_000);
});
