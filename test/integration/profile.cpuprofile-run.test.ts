import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCpuProfile, tallyCpuProfile } from '../../bench/profile/cpuprofile.js';
import { hottestFunctions } from '../../bench/profile/stack-tally.js';
import type { BenchResults } from '../../bench/results/results.js';
import { runBench, scenarioDir } from '../support/bench-cli.js';

const TINY_LOOP = `description: tiny CPU-bound scenario for the profiling test
server:
  db_min_ms: 0
  db_max_ms: 1
  loop_iterations: 1000000
load:
  rate_rps: 40
  connections: 8
  warmup_seconds: 0.5
  duration_seconds: 1
  trials: 1
validity:
  min_rate_ratio: 0.5
  max_late_ratio: 0.5
`;

describe('npm run bench -- --profile cpuprofile', () => {
  it('profiles the lab in a separate run and its widest frame is the loop, simulateLoop', async () => {
    const { dir, reports } = await scenarioDir('tiny-loop', TINY_LOOP);
    const run = runBench(['--scenarios-dir', dir, '--out', reports, '--profile', 'cpuprofile', '--json']);
    const code = await run.exited;
    expect(code, run.stderr()).toBe(0);
    expect(run.stderr()).toContain('tiny-loop: profiling with cpuprofile (a separate run; not measured)');
    const results = JSON.parse(run.stdout()) as BenchResults; // --json: the profilers kept stdout clean
    const runDir = join(reports, results.runId);

    const [profiled] = results.profiles?.runs ?? [];
    expect(profiled).toMatchObject({
      scenario: 'tiny-loop',
      profiler: 'cpuprofile',
      purpose: 'requested',
      status: 'ok',
      nodeFlags: ['--no-turbo-inlining', '--no-maglev'],
    });
    if (profiled?.status !== 'ok') return;
    expect(profiled.files.map((f) => [f.kind, f.path])).toEqual([
      ['cpuprofile', 'profiles/tiny-loop/cpu.cpuprofile'],
      ['flamegraph-html', 'profiles/tiny-loop/cpu-flamegraph.html'],
    ]);
    expect(profiled.hottest[0]).toMatchObject({ functionName: 'simulateLoop', location: 'dist/server/work/checksum.js' });

    // The same answer straight from the file, and the flamegraph drawn from it names the loop.
    const parsed = parseCpuProfile(await readFile(join(runDir, 'profiles/tiny-loop/cpu.cpuprofile'), 'utf8'));
    if (!parsed.ok) throw new Error(parsed.reason);
    const [widest] = hottestFunctions(tallyCpuProfile(parsed.profile, [process.cwd()]), 1);
    expect(widest?.functionName).toBe('simulateLoop');
    expect(widest?.selfShare).toBeGreaterThan(0.5);
    expect(await readFile(join(runDir, 'profiles/tiny-loop/cpu-flamegraph.html'), 'utf8')).toContain('simulateLoop');

    // The profiled run fed nothing into the measured one, and the report links the files.
    expect(results.scenarios[0]?.trials).toHaveLength(1);
    const page = await readFile(join(runDir, 'index.html'), 'utf8');
    expect(page).toContain('href="profiles/tiny-loop/cpu-flamegraph.html"');
    expect((await stat(join(reports, 'index.html'))).size).toBeGreaterThan(1000);
  }, 60_000);
});
