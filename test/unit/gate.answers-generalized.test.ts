import { describe, expect, it } from 'vitest';
import { readBaseline } from '../../ci/baseline/store.js';
import { evaluateGate } from '../../ci/gate/evaluate.js';
import type { ScenarioPair, SideData, VariantAnswers } from '../../ci/gate/types.js';
import { sideFromBaseline } from '../../bench/results/gate-inputs.js';

const side = (answers: Partial<VariantAnswers>): SideData => ({
  trials: [],
  trialIndices: null,
  correctness: [{ name: 'work', checksum: null, payloadDigest: null, status: null, digest: null, consistent: true, ...answers }],
  usable: true,
});
const pair = (baseline: SideData, current: SideData): ScenarioPair => ({
  scenario: 's',
  design: 'independent',
  gate: [],
  baseline,
  current,
  incomparable: null,
  correctnessIncomparable: null,
});
const verdict = (baseline: SideData, current: SideData) => evaluateGate([pair(baseline, current)], { alpha: 0.05 });

describe('answers, generalized: status codes and body digests are gated like the lab checksum', () => {
  it('a changed status or body digest is a correctness failure; the same ones pass', () => {
    const ok = { status: '200', digest: 'sha256:aa' };
    expect(verdict(side(ok), side(ok)).correctness[0]?.status).toBe('same');
    for (const changed of [{ status: '201' }, { digest: 'sha256:bb' }]) {
      const report = verdict(side(ok), side({ ...ok, ...changed }));
      expect(report.correctness[0]).toMatchObject({ status: 'changed', baseline: ok, current: { ...ok, ...changed } });
      expect(report.summary.outcome).toBe('correctness-regression');
    }
  });

  it('every committed lab baseline (recorded before answers were generalized) compares same with the same checksums', async () => {
    for (const scenario of ['hot-loop', 'large-payload', 'mixed', 'slow-db']) {
      const loaded = await readBaseline('ci/baselines', scenario);
      if (loaded.status !== 'found') throw new Error(`${scenario}: ${loaded.status}`);
      const baseline = sideFromBaseline(loaded.baseline);
      // A lab run records its checksum and payload digest, and no status or body digest.
      const current: SideData = {
        ...baseline,
        correctness: loaded.baseline.correctness.map((v) => ({
          name: v.variant,
          checksum: v.checksum,
          payloadDigest: v.payloadDigest,
          status: null,
          digest: null,
          consistent: true,
        })),
      };
      const report = verdict(baseline, current);
      expect(report.correctness.length).toBeGreaterThan(0);
      expect(report.correctness.map((c) => c.status)).toEqual(report.correctness.map(() => 'same'));
    }
  });
});
