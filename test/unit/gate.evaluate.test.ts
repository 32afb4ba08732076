import { describe, expect, it } from 'vitest';
import type { VariantCorrectness } from '../../bench/results/correctness.js';
import { metricInfo } from '../../bench/results/metrics.js';
import { parseAllowedChange } from '../../bench/scenario/expressions.js';
import { evaluateGate } from '../../ci/gate/evaluate.js';
import type { GateRule, ScenarioPair, SideData } from '../../ci/gate/types.js';
import { createSeededRandom } from '../../ci/stats/random.js';

const rule = (metric: string, allowed: string): GateRule => {
  const { unit, direction } = metricInfo(metric)!;
  return { metric, unit, direction, allowed: parseAllowedChange(allowed)! };
};
const answers = (checksum: string, digest: string | null = null): VariantCorrectness[] => [
  {
    name: 'work',
    checksum,
    payloadDigest: digest,
    consistent: true,
    checksums: { [checksum]: 10 },
    payloadDigests: digest ? { [digest]: 10 } : {},
    status: null,
    digest: null,
    statuses: {},
    digests: {},
  },
];

/** Trial values around `center` with ±2% deterministic jitter. */
function trials(
  center: number,
  count: number,
  seed: number,
  metric = 'p95_ms',
  extra: Record<string, number> = {},
): Array<Record<string, number>> {
  const random = createSeededRandom(seed);
  return Array.from({ length: count }, () => ({ [metric]: center * (1 + (random.uniform() - 0.5) * 0.04), error_ratio: 0, ...extra }));
}

const side = (values: Array<Record<string, number>>, checksum = '333328356151216'): SideData => ({
  trials: values,
  trialIndices: null,
  correctness: answers(checksum),
  usable: true,
});

const pair = (
  baseline: SideData | null,
  current: SideData,
  gate: GateRule[] = [rule('p95_ms', '+10%')],
  patch: Partial<ScenarioPair> = {},
): ScenarioPair => ({
  scenario: 'hot-loop',
  design: 'independent',
  gate,
  baseline,
  current,
  incomparable: null,
  correctnessIncomparable: null,
  ...patch,
});

describe('the gate decision', () => {
  it('passes an unchanged run', () => {
    const { metrics, summary } = evaluateGate([pair(side(trials(10, 12, 1)), side(trials(10, 12, 2)))], { alpha: 0.05 });
    expect(metrics[0]).toMatchObject({ verdict: 'pass', allowed: '+10%', unit: 'ms', baselineTrials: 12, currentTrials: 12 });
    expect(summary.outcome).toBe('pass');
  });

  it('flags a clear +25% slowdown as a regression with its estimate and interval', () => {
    const { metrics, summary } = evaluateGate([pair(side(trials(10, 12, 1)), side(trials(12.5, 12, 2)))], { alpha: 0.05 });
    const [m] = metrics;
    expect(m?.verdict).toBe('regression');
    expect(m?.changePercent).toBeGreaterThan(20);
    expect(m?.changePercent).toBeLessThan(30);
    expect(m?.intervalPercent?.low).toBeGreaterThan(10);
    expect(m?.pWorseAdjusted).toBeLessThan(0.05);
    expect(summary).toMatchObject({ outcome: 'performance-regression', regressions: 1 });
  });

  it('does not call a significant +5% change a regression when +10% is allowed', () => {
    const { metrics } = evaluateGate([pair(side(trials(10, 12, 1)), side(trials(10.5, 12, 2)))], { alpha: 0.05 });
    expect(metrics[0]?.verdict).toBe('pass');
  });

  it('reports improvements in the better direction (throughput: higher is better)', () => {
    const gate = [rule('throughput_rps', '-10%')];
    const { metrics } = evaluateGate(
      [pair(side(trials(1000, 12, 1, 'throughput_rps')), side(trials(1300, 12, 2, 'throughput_rps')), gate)],
      { alpha: 0.05 },
    );
    expect(metrics[0]).toMatchObject({ verdict: 'improvement', direction: 'higher-is-better' });
  });

  it('applies absolute rules (error ratio) to the means, outside the statistical family', () => {
    const gate = [rule('error_ratio', '+0.01')];
    const base = side(trials(10, 6, 1).map((t) => ({ ...t, error_ratio: 0 })));
    const worse = side(trials(10, 6, 2).map((t) => ({ ...t, error_ratio: 0.03 })));
    const { metrics } = evaluateGate([pair(base, worse, gate)], { alpha: 0.05 });
    expect(metrics[0]).toMatchObject({ verdict: 'regression', baselineValue: 0, currentValue: 0.03, changePercent: null });
    expect(metrics[0]?.note).toBe('absolute rule: mean changed by +0.03 (allowed +0.01)');
  });

  it('fails on changed answers, separately from performance, and flags "faster, but wrong"', () => {
    const { correctness, summary } = evaluateGate([pair(side(trials(10, 12, 1)), side(trials(5, 12, 2), '18103526428592'))], {
      alpha: 0.05,
    });
    expect(correctness[0]).toMatchObject({
      status: 'changed',
      baseline: { checksum: '333328356151216' },
      current: { checksum: '18103526428592' },
      fasterButWrong: true,
    });
    expect(summary).toMatchObject({ outcome: 'correctness-regression', correctnessFailures: 1, improvements: 1 });
  });

  it('skips latency but still checks answers when the baseline is from another machine', () => {
    const { metrics, correctness, summary } = evaluateGate(
      [pair(side(trials(10, 12, 1)), side(trials(20, 12, 2)), undefined, { incomparable: 'the baseline was recorded on another machine' })],
      { alpha: 0.05 },
    );
    expect(metrics[0]).toMatchObject({ verdict: 'skipped', note: 'the baseline was recorded on another machine' });
    expect(correctness[0]?.status).toBe('same');
    expect(summary.outcome).toBe('pass');
  });

  it('skips answers too when the scenario itself changed', () => {
    const { correctness } = evaluateGate(
      [
        pair(side(trials(10, 6, 1)), side(trials(10, 6, 2), '1'), undefined, {
          incomparable: 'changed',
          correctnessIncomparable: 'changed',
        }),
      ],
      { alpha: 0.05 },
    );
    expect(correctness[0]?.status).toBe('skipped');
  });

  it('marks metrics invalid when a side could not be trusted, and skipped without a baseline', () => {
    const broken = { ...side(trials(10, 6, 2)), usable: false };
    expect(evaluateGate([pair(side(trials(10, 6, 1)), broken)], { alpha: 0.05 }).metrics[0]?.verdict).toBe('invalid');
    expect(evaluateGate([pair(null, side(trials(10, 6, 1)))], { alpha: 0.05 }).metrics[0]).toMatchObject({
      verdict: 'skipped',
      note: 'no baseline for this scenario',
    });
  });

  it('says inconclusive, with trials needed, when noise hides the answer', () => {
    const noisy = (seed: number) => {
      const random = createSeededRandom(seed);
      return Array.from({ length: 4 }, () => ({ p95_ms: 10 * Math.exp((random.uniform() - 0.5) * 0.8), error_ratio: 0 }));
    };
    const [m] = evaluateGate([pair(side(noisy(1)), side(noisy(2)))], { alpha: 0.05 }).metrics;
    expect(m?.verdict).toBe('inconclusive');
    expect(m?.trialsNeededPerSide).toBeGreaterThan(4);
  });

  it('corrects for multiple comparisons: one weak signal among many is not a regression', () => {
    // 5 trials per side, fully separated: the smallest possible p is 1/C(10,5) = 1/252 ≈ 0.004.
    // Alone that is significant; in a family of 16, Holm needs p <= 0.05/16 ≈ 0.003, so none is.
    const weak = (seed: number) => pair(side(trials(10, 5, seed)), side(trials(11.5, 5, seed + 100)));
    const alone = evaluateGate([weak(1)], { alpha: 0.05 }).metrics[0];
    const family = evaluateGate(
      Array.from({ length: 16 }, (_, i) => ({ ...weak(i + 1), scenario: `s${i}` })),
      { alpha: 0.05 },
    ).metrics;
    expect(alone?.verdict).toBe('regression');
    expect(alone?.pWorseAdjusted).toBeCloseTo(1 / 252, 10);
    expect(family.filter((m) => m.verdict === 'regression')).toEqual([]);
    expect(family.every((m) => m.pWorseAdjusted !== null && m.pWorseAdjusted > 0.05)).toBe(true);
  });
});
