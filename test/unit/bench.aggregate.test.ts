import { describe, expect, it } from 'vitest';
import { aggregateTrials } from '../../bench/results/aggregate.js';
import { variantCorrectness } from '../../bench/results/correctness.js';
import { trialMetrics, type TrialResult } from '../../bench/results/trial.js';
import { fakeLoadResult } from '../support/load-result.js';
import type { LoadResult } from '../../bench/load/types.js';

const NO_SERVER = { requests: null, sections: {}, cpuSeconds: null, cpuMsPerRequest: null, loopIterations: null, exactSections: {} };

function trial(index: number, client: LoadResult, valid = true): TrialResult {
  return {
    index,
    startedAt: '2026-01-01T00:00:00Z',
    validity: valid ? { valid: true } : { valid: false, reasons: ['test'] },
    client,
    errorRatio: client.errors / client.sent,
    server: NO_SERVER,
    duet: null,
    metrics: trialMetrics(client, NO_SERVER),
  };
}

describe('pooling trials', () => {
  it('merges latency histograms, so pooled percentiles are over all requests', () => {
    // Trial 1: 100 requests at 10 ms; trial 2: 100 at 30 ms. Pooled p50 is 10 ms, p95 is 30 ms,
    // which no average of per-trial percentiles would give.
    const aggregate = aggregateTrials([trial(1, fakeLoadResult(Array(100).fill(10))), trial(2, fakeLoadResult(Array(100).fill(30)))]);
    expect(aggregate?.latency.count).toBe(200);
    expect(aggregate?.latency.p50Ms).toBeCloseTo(10, 1);
    expect(aggregate?.latency.p95Ms).toBeCloseTo(30, 1);
    expect(aggregate?.metrics.p95_ms).toBeCloseTo(30, 1);
  });

  it('leaves invalid trials out, and reports none when no trial is valid', () => {
    const slow = trial(2, fakeLoadResult(Array(100).fill(500)), false);
    expect(aggregateTrials([trial(1, fakeLoadResult(Array(100).fill(10))), slow])?.latency.maxMs).toBeCloseTo(10, 1);
    expect(aggregateTrials([slow])).toBeNull();
  });

  it('computes the error ratio over all requests', () => {
    const a = fakeLoadResult(Array(100).fill(10), { errors: 1 });
    const b = fakeLoadResult(Array(300).fill(10), { errors: 1 });
    expect(aggregateTrials([trial(1, a), trial(2, b)])?.errorRatio).toBeCloseTo(2 / 400, 12);
  });
});

describe('correctness across trials', () => {
  it('agrees when every response of a variant carried the same checksum', () => {
    const [work] = variantCorrectness([trial(1, fakeLoadResult([1, 2])), trial(2, fakeLoadResult([3]))]);
    expect(work).toMatchObject({ name: 'work', checksum: '332854108', consistent: true, checksums: { '332854108': 3 } });
  });

  it('flags a variant whose responses disagree, even across trials and in invalid ones', () => {
    const other = fakeLoadResult([1], {
      variants: [
        {
          name: 'work',
          sent: 1,
          completed: 1,
          errors: 0,
          checksums: { '18103526428592': 1 },
          payloadDigests: {},
          statuses: {},
          digests: {},
        },
      ],
    });
    const [work] = variantCorrectness([trial(1, fakeLoadResult([1, 2])), trial(2, other, false)]);
    expect(work).toMatchObject({ checksum: null, consistent: false, checksums: { '332854108': 2, '18103526428592': 1 } });
  });
});
