import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchResults } from '../../bench/results/results.js';
import { runBench, scenarioDir } from '../support/bench-cli.js';

const TINY = `description: a tiny bounded scenario for the end-to-end test
server:
  db_min_ms: 1
  db_max_ms: 2
  loop_iterations: 1000
requests:
  - name: small
    weight: 3
  - name: payload
    weight: 1
    query: { payload_items: 2, payload_item_bytes: 64 }
load:
  model: open
  rate_rps: 40
  connections: 8
  warmup_seconds: 0.5
  duration_seconds: 1
  trials: 2
thresholds:
  p99_ms: "< 5000"
  error_ratio: "< 0.5"
  section.loop.p95_ms: "< 1000"
validity:
  min_rate_ratio: 0.5
  max_late_ratio: 0.5
`;

describe('npm run bench, end to end against the real lab', () => {
  it('runs a tiny scenario, prints the table, writes results.json and exits 0', async () => {
    const { dir, reports } = await scenarioDir('tiny', TINY);
    const run = runBench(['--scenarios-dir', dir, '--out', reports]);
    const code = await run.exited;
    expect(run.stderr()).toContain('tiny: trial 2/2:');
    expect(code, run.stderr()).toBe(0);
    expect(run.stdout()).toMatch(/tiny \[pass\]/);
    expect(run.stdout()).toMatch(/small: checksum 332854108/);

    const path = /results: (\S+)/.exec(run.stdout())?.[1];
    expect(path).toBeDefined();
    const results = JSON.parse(await readFile(path as string, 'utf8')) as BenchResults;
    expect(results.schemaVersion).toBe(1);
    expect(results.environment.node).toBe(process.version);
    const [scenario] = results.scenarios;
    expect(scenario).toMatchObject({ name: 'tiny', status: 'ok' });
    if (!scenario) return;
    expect(scenario.trials).toHaveLength(2);
    for (const trial of scenario.trials) {
      expect(trial.client.sent).toBeGreaterThan(20);
      expect(trial.client.latencyHistogram.length).toBeGreaterThan(10);
      // Every request the client completed was counted by the server, per trial window.
      expect(trial.server.requests?.count).toBe(trial.client.completed);
      expect(Object.keys(trial.server.sections)).toEqual(
        expect.arrayContaining(['db_query', 'loop', 'json_encode', 'payload_build', 'work_total']),
      );
    }
    expect(scenario.correctness).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'small', checksum: '332854108', consistent: true, payloadDigest: null }),
        expect.objectContaining({
          name: 'payload',
          checksum: '332854108',
          consistent: true,
          payloadDigest: expect.stringMatching(/^sha256:/),
        }),
      ]),
    );
    expect(scenario.thresholds.map((t) => [t.metric, t.pass])).toEqual([
      ['p99_ms', true],
      ['error_ratio', true],
      ['section.loop.p95_ms', true],
    ]);
    expect(await readFile(join(reports, 'latest', 'results.json'), 'utf8')).toContain(results.runId);
  }, 60_000);

  it('exits 1 when a threshold fails, and --json keeps stdout machine-readable', async () => {
    const { dir, reports } = await scenarioDir(
      'tiny',
      TINY.replace('p99_ms: "< 5000"', 'p99_ms: "< 0.001"').replace('trials: 2', 'trials: 1'),
    );
    const run = runBench(['--scenarios-dir', dir, '--out', reports, '--json']);
    const code = await run.exited;
    expect(code, run.stderr()).toBe(1);
    const results = JSON.parse(run.stdout()) as BenchResults;
    expect(results.scenarios[0]?.thresholds.find((t) => t.metric === 'p99_ms')?.pass).toBe(false);
    expect(run.stderr()).toContain('thresholds failed in tiny (exit 1)');
  }, 60_000);

  it('exits 2 with one line per problem for a broken scenario, before starting anything', async () => {
    const { dir, reports } = await scenarioDir('broken', TINY.replace('rate_rps: 40', 'rate_rps: lots'));
    const run = runBench(['--scenarios-dir', dir, '--out', reports]);
    expect(await run.exited).toBe(2);
    expect(run.stderr().trim()).toBe(`bench: ${join(dir, 'broken.yaml')}:14:13: load.rate_rps: expected a number, got "lots"`);
    expect(run.stdout()).toBe('');
  });

  it('--help documents the options and exit codes', async () => {
    const run = runBench(['--help']);
    expect(await run.exited).toBe(0);
    for (const text of ['--scenario', '--trials', '--json', '--out', 'Exit codes']) expect(run.stdout()).toContain(text);
  });
});
