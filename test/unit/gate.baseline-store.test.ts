import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselineRefusal, toBaseline } from '../../bench/results/baseline-record.js';
import { readBaseline, writeBaselines } from '../../ci/baseline/store.js';
import type { EnvironmentFingerprint } from '../../ci/gate/machine.js';
import { pairFromBaseline } from '../../bench/results/gate-inputs.js';
import type { ScenarioOutcome } from '../../bench/results/results.js';
import { fakeLoadResult } from '../support/load-result.js';

const environment: EnvironmentFingerprint = {
  machineId: 'bench-1',
  node: 'v20.20.2',
  v8: '11',
  os: { platform: 'linux', release: '6', arch: 'x64' },
  cpu: { model: 'AMD EPYC', cores: 2 },
  totalMemoryBytes: 1,
  loadAverage1m: 0,
  git: { commit: 'abc', dirty: false },
  tool: { name: 'metric-lab', version: '0.1.0' },
};

function outcome(patch: Partial<ScenarioOutcome> = {}): ScenarioOutcome {
  const client = fakeLoadResult([10, 11, 12]);
  return {
    name: 'hot-loop',
    hash: 'sha256:1',
    status: 'ok',
    spec: { gate: [] } as unknown as ScenarioOutcome['spec'],
    trials: [1, 2].map((index) => ({
      index,
      startedAt: '',
      validity: { valid: true as const },
      client,
      errorRatio: 0,
      server: { requests: null, sections: {}, cpuSeconds: null, cpuMsPerRequest: null, loopIterations: null },
      metrics: { p95_ms: 12.345678, error_ratio: 0 },
    })),
    aggregate: null,
    correctness: [
      {
        name: 'work',
        checksum: '42',
        payloadDigest: null,
        consistent: true,
        checksums: { '42': 6 },
        payloadDigests: {},
        status: null,
        digest: null,
        statuses: {},
        digests: {},
      },
    ],
    thresholds: [],
    durationSeconds: 1,
    ...patch,
  } as ScenarioOutcome;
}

describe('baseline files', () => {
  it('round-trip, rounded to 4 significant digits, and are written atomically (no temp files left)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baselines-'));
    await writeBaselines(dir, [toBaseline(outcome(), environment, 'first baseline', new Date('2026-01-01T00:00:00Z'))]);
    expect(await readdir(dir)).toEqual(['hot-loop.json']);
    const loaded = await readBaseline(dir, 'hot-loop');
    expect(loaded.status).toBe('found');
    if (loaded.status !== 'found') return;
    expect(loaded.baseline).toMatchObject({
      scenario: 'hot-loop',
      scenarioHash: 'sha256:1',
      reason: 'first baseline',
      git: { commit: 'abc' },
    });
    expect(loaded.baseline.trials[0]?.metrics.p95_ms).toBe(12.35);
    expect(loaded.baseline.correctness).toEqual([{ variant: 'work', checksum: '42', payloadDigest: null }]);
  });

  it('report absent and broken files distinctly, naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baselines-'));
    expect(await readBaseline(dir, 'nope')).toEqual({ status: 'absent' });
    await writeFile(join(dir, 'bad.json'), '{"schemaVersion": 1');
    const broken = await readBaseline(dir, 'bad');
    expect(broken.status).toBe('broken');
    if (broken.status === 'broken') expect(broken.message).toMatch(/bad\.json: not valid JSON .*re-record it with npm run baseline$/);
    await writeFile(join(dir, 'old.json'), JSON.stringify({ schemaVersion: 99 }));
    const old = await readBaseline(dir, 'old');
    expect(old.status === 'broken' && old.message).toContain('old.json: schemaVersion');
  });

  it('refuse to record an invalid run or disagreeing answers', () => {
    expect(baselineRefusal(outcome())).toBeNull();
    expect(baselineRefusal(outcome({ status: 'invalid', reason: 'generator fell behind' } as Partial<ScenarioOutcome>))).toBe(
      'hot-loop: the run was invalid (generator fell behind)',
    );
    const disagreeing = outcome({
      correctness: [
        {
          name: 'work',
          checksum: null,
          payloadDigest: null,
          consistent: false,
          checksums: { '1': 1, '2': 1 },
          payloadDigests: {},
          status: null,
          digest: null,
          statuses: {},
          digests: {},
        },
      ],
    });
    expect(baselineRefusal(disagreeing)).toBe('hot-loop: responses disagreed (work: checksums {"1":1,"2":1})');
  });

  it('are not compared for latency on another machine, or at all for a changed scenario', () => {
    const baseline = toBaseline(outcome(), environment, 'r', new Date());
    const here = { ...environment, cpu: { model: 'Intel Xeon', cores: 8 } };
    const otherMachine = pairFromBaseline(baseline, outcome(), here);
    expect(otherMachine.incomparable).toBe(
      'the baseline was recorded on machine "bench-1" (AMD EPYC x2, linux-x64, node v20), this machine is machine "bench-1" (Intel Xeon x8, linux-x64, node v20): ' +
        'latency is not comparable across machines (use --against <git-ref> to compare on this machine, or set METRIC_LAB_MACHINE_ID to the same name on identical benchmark runners)',
    );
    // Same hardware, another host: still another machine (VMs of one type differ by more than the gate's margins).
    expect(pairFromBaseline(baseline, outcome(), { ...environment, machineId: 'bench-2' }).incomparable).toContain('machine "bench-2"');
    // A baseline from before machine ids were recorded never matches.
    const { machineId: _dropped, ...legacyEnvironment } = environment;
    expect(pairFromBaseline({ ...baseline, environment: legacyEnvironment }, outcome(), environment).incomparable).toContain(
      'machine "unknown"',
    );
    expect(otherMachine.correctnessIncomparable).toBeNull();
    const changed = pairFromBaseline(baseline, outcome({ hash: 'sha256:2' }), environment);
    expect(changed.correctnessIncomparable).toContain('the scenario changed since its baseline was recorded');
    expect(pairFromBaseline(baseline, outcome(), environment).incomparable).toBeNull();
  });

  it('stay readable in a diff: pretty JSON with a trailing newline', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baselines-'));
    const [path] = await writeBaselines(dir, [toBaseline(outcome(), environment, 'r', new Date(0))]);
    const text = await readFile(path as string, 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n').length).toBeGreaterThan(20);
  });
});
