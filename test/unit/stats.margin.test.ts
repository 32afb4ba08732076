import { describe, expect, it } from 'vitest';
import { comparePairedMetric, decideVerdicts } from '../../ci/stats/index.js';
import { proposeMargin } from '../../ci/stats/margin.js';
import { sigmaUpperBound } from '../../ci/stats/noise.js';
import { createSeededRandom } from '../../ci/stats/random.js';

const BASE = { confidenceLevel: 0.95, alphaOneSided: 0.025 / 12 };

describe('a margin proposed from noise', () => {
  it('uses normal theory beyond the simulated range, matching values worked by hand', () => {
    // σ 1%, 48 trials: s = 0.01·√(2 / (48·3/π)) = 0.00208886; (1.95996 + 1.64485)·s = 0.0075299 → +0.7558%.
    const proposal = proposeMargin({ ...BASE, sigmaLog: 0.01, trialsPerSide: 48 });
    expect(proposal.exactMarginFraction).toBeCloseTo(0.0075583, 6);
    expect(proposal.marginFraction).toBe(0.01);
    // max(log(1.01) + 1.64485·s, (2.86630 + 1.64485)·s) = max(0.0133859, 0.0094232) → +1.3476%.
    expect(proposal.caughtFraction).toBeCloseTo(0.013476, 5);
  });

  it('is wider than normal theory at 12 trials, where the exact interval is (measured 4.03·s, not 3.60·s)', () => {
    const proposal = proposeMargin({ ...BASE, sigmaLog: 0.01, trialsPerSide: 12 });
    const s = 0.01 * Math.sqrt(2 / (12 * (3 / Math.PI)));
    expect(Math.log1p(proposal.exactMarginFraction) / s).toBeGreaterThan(3.8);
    expect(Math.log1p(proposal.exactMarginFraction) / s).toBeLessThan(4.3);
    expect(proposal.marginFraction).toBe(0.02);
  });

  it('rounds up to the step, keeps exact steps, and never goes below the minimum', () => {
    expect(proposeMargin({ ...BASE, sigmaLog: 0, trialsPerSide: 12 }).marginFraction).toBe(0.01);
    const wide = proposeMargin({ ...BASE, sigmaLog: 0.05, trialsPerSide: 12 });
    expect(wide.marginFraction).toBe(Math.ceil(wide.exactMarginFraction / 0.005) * 0.005);
    expect(proposeMargin({ ...BASE, sigmaLog: 0.005, trialsPerSide: 48, stepFraction: 0.005, minimumFraction: 0.001 }).marginFraction).toBe(
      0.005,
    );
  });

  it('grows with the noise in proportion, and shrinks with more trials', () => {
    const at = (sigmaLog: number, trialsPerSide: number) =>
      Math.log1p(proposeMargin({ ...BASE, sigmaLog, trialsPerSide }).exactMarginFraction);
    expect(at(0.04, 12) / at(0.02, 12)).toBeCloseTo(2, 9);
    expect(at(0.02, 24)).toBeLessThan(at(0.02, 12));
    expect(at(0.02, 48) / at(0.02, 192)).toBeCloseTo(2, 9);
  });

  it('refuses what has no meaning', () => {
    expect(() => proposeMargin({ ...BASE, sigmaLog: Number.NaN, trialsPerSide: 12 })).toThrow(/sigmaLog/);
    expect(() => proposeMargin({ ...BASE, sigmaLog: 0.01, trialsPerSide: 1 })).toThrow(/trialsPerSide/);
    expect(() => proposeMargin({ ...BASE, sigmaLog: 0.01, trialsPerSide: 12, confidenceLevel: 1 })).toThrow(/confidenceLevel/);
  });

  it('holds in simulation of the real paired comparison: unchanged code passes, the caught change is caught', () => {
    const sigmaLog = 0.015;
    const trialsPerSide = 12;
    const proposal = proposeMargin({ ...BASE, sigmaLog, trialsPerSide });
    const random = createSeededRandom(2026);
    const runs = 600;
    // Per-side noise σ: each side's log value draws its own N(0, σ²) around a shared drift.
    const sides = (ratio: number) => {
      const baseline: number[] = [];
      const current: number[] = [];
      for (let k = 0; k < trialsPerSide; k++) {
        const drift = Math.exp(0.2 * random.normal());
        baseline.push(5 * drift * Math.exp(sigmaLog * random.normal()));
        current.push(5 * drift * ratio * Math.exp(sigmaLog * random.normal()));
      }
      return { baseline, current };
    };
    const verdictOf = (ratio: number) => {
      const comparison = comparePairedMetric({
        ...sides(ratio),
        allowedRegression: proposal.exactMarginFraction,
        direction: 'lower-is-better',
      });
      return decideVerdicts([comparison], BASE.alphaOneSided)[0]?.verdict;
    };
    let passed = 0;
    let caught = 0;
    for (let run = 0; run < runs; run++) {
      if (verdictOf(1) === 'pass') passed++;
      if (verdictOf(1 + proposal.caughtFraction) === 'regression') caught++;
    }
    // 95% each was asked for; 600 runs put a binomial σ of 0.9% on each rate.
    expect(passed / runs).toBeGreaterThan(0.92);
    expect(passed / runs).toBeLessThan(0.98);
    expect(caught / runs).toBeGreaterThan(0.92);
    expect(caught / runs).toBeLessThan(0.99);
  });
});

describe('the upper confidence bound of a noise estimate', () => {
  it('matches χ² tables: √(df / χ²_{1−level, df})', () => {
    // χ²_{0.20, 11} = 6.989, χ²_{0.20, 5} = 2.343, χ²_{0.05, 11} = 4.575, χ²_{0.20, 29} = 22.475 (tables).
    expect(sigmaUpperBound(1, 12, 0.8)).toBeCloseTo(Math.sqrt(11 / 6.989), 2);
    expect(sigmaUpperBound(1, 6, 0.8)).toBeCloseTo(Math.sqrt(5 / 2.343), 2);
    expect(sigmaUpperBound(1, 12, 0.95)).toBeCloseTo(Math.sqrt(11 / 4.575), 2);
    expect(sigmaUpperBound(0.02, 30, 0.8)).toBeCloseTo(0.02 * Math.sqrt(29 / 22.475), 4);
  });

  it('refuses a count or level without meaning', () => {
    expect(() => sigmaUpperBound(1, 1, 0.8)).toThrow(/count/);
    expect(() => sigmaUpperBound(1, 12, 1)).toThrow(/level/);
  });
});
