import { describe, expect, it } from 'vitest';
import { gateRules, pairFromMicroBaseline } from '../../bench/results/gate-inputs.js';
import { toMicroBaseline } from '../../bench/results/baseline-record.js';
import type { MicroOutcome } from '../../bench/results/micro-outcome.js';
import { parseAnyScenario } from '../../bench/scenario/load.js';
import type { MicroScenarioSpec } from '../../bench/scenario/micro-spec.js';
import { compareCounts, evaluateGate } from '../../ci/gate/evaluate.js';
import type { EnvironmentFingerprint } from '../../ci/gate/machine.js';
import type { GateRule, ScenarioPair, SideData } from '../../ci/gate/types.js';

const countRule = (allowed = 0.005): GateRule => ({
  metric: 'micro.loop.instructions_per_op',
  unit: 'instructions',
  direction: 'lower-is-better',
  allowed: { kind: 'relative', fraction: allowed, direction: 'increase', source: `+${allowed * 100}%` },
  deterministic: true,
});

describe('instruction counts in the gate (deterministic: compared directly)', () => {
  it('passes a change within the allowance, fails one beyond it, whatever the number of trials', () => {
    // The loop doing 1% more iterations counted +0.972% here: a +0.5% allowance catches it, +1% would not.
    expect(compareCounts(countRule(), [9_463_449], [9_555_434]).verdict).toBe('regression');
    expect(compareCounts(countRule(0.01), [9_463_449], [9_555_434]).verdict).toBe('pass');
    expect(compareCounts(countRule(), [9_463_449], [9_463_449 * 1.004]).verdict).toBe('pass');
    expect(compareCounts(countRule(), [9_463_449], [9_463_449 * 0.99]).verdict).toBe('improvement');
    const result = compareCounts(countRule(), [100, 100, 100], [101, 101, 101]);
    expect(result).toMatchObject({ baselineValue: 100, currentValue: 101, verdict: 'regression' });
    expect(result.changePercent).toBeCloseTo(1, 10);
  });

  it('calls counts that disagree within a side invalid rather than guess', () => {
    // 0.4% apart within one side is more than half a 0.5% allowance.
    const result = compareCounts(countRule(), [1000, 1004], [1000, 1000]);
    expect(result.verdict).toBe('invalid');
    expect(result.note).toContain('not deterministic here');
    expect(compareCounts(countRule(), [0], [5]).verdict).toBe('invalid');
  });

  it('keeps counts out of the Holm family, and compares them where latency is not comparable', () => {
    const side = (count: number, p95: number[]): SideData => ({
      trials: p95.map((v) => ({ 'micro.loop.ns_per_op': v, 'micro.loop.instructions_per_op': count })),
      trialIndices: null,
      correctness: [],
      usable: true,
    });
    const timing: GateRule = { ...countRule(0.1), metric: 'micro.loop.ns_per_op', unit: 'ns', deterministic: false };
    const pair: ScenarioPair = {
      scenario: 'micro',
      design: 'independent',
      gate: [countRule(), timing],
      baseline: side(1000, [1, 1.01, 0.99, 1, 1.02]),
      current: side(1010, [1, 1.01, 0.99, 1, 1.02]),
      incomparable: 'another machine',
      correctnessIncomparable: null,
      countsIncomparable: null,
    };
    const { metrics, summary } = evaluateGate([pair], { alpha: 0.05 });
    expect(metrics.map((m) => [m.metric, m.verdict, m.pWorseAdjusted])).toEqual([
      ['micro.loop.instructions_per_op', 'regression', null],
      ['micro.loop.ns_per_op', 'skipped', null],
    ]);
    expect(summary.outcome).toBe('performance-regression');
    const elsewhere = evaluateGate([{ ...pair, countsIncomparable: 'counts were recorded on arm64' }], { alpha: 0.05 });
    expect(elsewhere.metrics[0]).toMatchObject({ verdict: 'skipped', note: 'counts were recorded on arm64' });
  });
});

describe('a micro scenario against its committed baseline', () => {
  const parsed = parseAnyScenario('kind: micro\ndescription: d\ntasks:\n  loop: { iterations: 1000 }\n', 'scenarios/micro.yaml');
  if (!parsed.ok || parsed.scenario.kind !== 'micro') throw new Error('fixture');
  const spec = parsed.scenario.spec as MicroScenarioSpec;
  const hash = parsed.scenario.hash;
  const outcome = (count: number, digest = 'sha256:aaaa'): MicroOutcome => ({
    kind: 'micro',
    status: 'ok',
    name: 'micro',
    hash,
    spec,
    trials: [1, 2, 3].map((index) => ({
      index,
      timings: { loop: { medianNs: 3000 + index, meanNs: 3100, samples: 30 } },
      metrics: { 'micro.loop.ns_per_op': 3000.123456 + index },
    })),
    instructions: [
      {
        status: 'ok',
        task: 'loop',
        size: { iterations: 1000 },
        warmupOps: 30,
        measuredOps: 10,
        instructionsPerOp: count,
        unit: 'iteration',
        instructionsPerUnit: count / 1000,
        segments: { setupIr: 1, emptyIr: 0, measuredIr: count * 10 },
        wallMs: 1,
        top: [],
      },
    ],
    answers: [{ task: 'loop', digest }],
    thresholds: [],
    durationSeconds: 1,
    topFunctions: [],
  });
  const machine = (id: string, features = ['avx2', 'erms']): EnvironmentFingerprint => ({
    machineId: id,
    node: 'v20.20.0',
    v8: '11.3',
    os: { platform: 'linux', release: '6', arch: 'x64' },
    cpu: { model: id, cores: 2 },
    totalMemoryBytes: 1,
    loadAverage1m: 0,
    git: { commit: null, dirty: null },
    tool: { name: 'metric-lab', version: '0' },
    counts: { arch: 'x64', node: 'v20.20.0', valgrind: 'valgrind-3.19.0', cpuFeatures: features },
  });

  it('records counts to a tenth of an instruction and timings to 4 digits', () => {
    const baseline = toMicroBaseline(outcome(9_463_449.26), machine('a'), 'why', new Date(0));
    expect(baseline.trials[0]?.metrics).toEqual({ 'micro.loop.ns_per_op': 3001, 'micro.loop.instructions_per_op': 9_463_449.3 });
    expect(baseline.correctness).toEqual([{ variant: 'loop', checksum: null, payloadDigest: null, digest: 'sha256:aaaa' }]);
  });

  it('gates counts on another machine with the same counts platform, timings only on the same machine', () => {
    const baseline = toMicroBaseline(outcome(1000), machine('a'), 'why', new Date(0));
    const pair = pairFromMicroBaseline(baseline, outcome(1010), machine('b'));
    expect(pair.incomparable).toContain('latency is not comparable');
    expect(pair.countsIncomparable).toBeNull();
    expect(gateRules(spec).find((r) => r.metric === 'micro.loop.instructions_per_op')?.deterministic).toBe(true);
    const { metrics, correctness } = evaluateGate([pair], { alpha: 0.05 });
    expect(metrics.find((m) => m.metric === 'micro.loop.instructions_per_op')?.verdict).toBe('pass'); // +1.0% within the default +1%
    expect(correctness).toEqual([expect.objectContaining({ variant: 'loop', status: 'same' })]);

    const otherCpu = pairFromMicroBaseline(baseline, outcome(1000), machine('b', ['avx2']));
    expect(otherCpu.countsIncomparable).toContain('CPU features avx2 erms');
    const changedAnswer = evaluateGate([pairFromMicroBaseline(baseline, outcome(1000, 'sha256:bbbb'), machine('a'))], { alpha: 0.05 });
    expect(changedAnswer.summary.outcome).toBe('correctness-regression');
  });

  it('says why counts are missing when valgrind was', () => {
    const skipped: MicroOutcome = {
      ...outcome(1000),
      instructions: [{ status: 'skipped', task: 'loop', reason: 'valgrind not found (apt-get install valgrind)' }],
    };
    const pair = pairFromMicroBaseline(toMicroBaseline(outcome(1000), machine('a'), 'why', new Date(0)), skipped, machine('a'));
    expect(pair.countsIncomparable).toBe('instruction counts skipped: valgrind not found (apt-get install valgrind)');
  });
});
