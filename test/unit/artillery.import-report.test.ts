import { readFile } from 'node:fs/promises';
import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { histogramFromSummary } from '../../bench/artillery/histogram.js';
import { importArtilleryReport, MISMATCH_ANSWER, periodWindowSeconds } from '../../bench/artillery/import.js';
import { parseArtilleryReport, type ArtilleryReport } from '../../bench/artillery/report.js';
import { loadScenarioFile } from '../../bench/scenario/load.js';
import { loopChecksum } from '../../server/work/checksum.js';

/**
 * Against real reports: `npm run bench -- --export artillery --scenario mixed --trials 2` (and
 * `--trials 1`), run with Artillery 2.0.21 (`artillery run --output`) against a local lab with the
 * scenario's knobs — and, for the wrong-answers report, a lab with `--loop-iterations 50001`, so
 * every variant but `report` (which sets its own loop length) answered a different checksum.
 */
async function fixture(name: string): Promise<ArtilleryReport> {
  const path = `test/fixtures/artillery/${name}`;
  const parsed = parseArtilleryReport(await readFile(path, 'utf8'), path);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.report;
}

async function mixed() {
  const loaded = await loadScenarioFile('scenarios/mixed.yaml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded;
}

describe('an Artillery report imported as a run of its scenario', () => {
  it('makes each whole period after the warm-up a trial, leaving out the warm-up’s and a short last one', async () => {
    const { spec, hash } = await mixed();
    const { outcome, leftOut } = importArtilleryReport(await fixture('mixed-report.json'), spec, hash);
    expect(leftOut).toEqual(['period 21:43:40: contains the warm-up', 'period 21:44:10: only 5.0 s of load (a partial period)']);
    expect(outcome.status).toBe('ok');
    expect(outcome.hash).toBe(hash);
    expect(outcome.spec.load).toMatchObject({ durationSeconds: 10, trials: 2, rateRps: 120 });
    expect(outcome.trials.map((t) => [t.index, t.validity.valid, t.client.completed, t.client.sent])).toEqual([
      [1, true, 1205, 1200],
      [2, true, 1195, 1200],
    ]);
    const [first] = outcome.trials;
    // 9.995 s from first to last measurement, plus one arrival interval: capped at the period's 10 s.
    expect(first?.client.achievedRps).toBe(120.5);
    // Trial metrics are Artillery's own per-period summaries, unchanged.
    expect(first?.metrics).toEqual({
      p50_ms: 18,
      p90_ms: 125.2,
      p95_ms: 169,
      p99_ms: 194.4,
      p999_ms: 210.6,
      max_ms: 229,
      error_ratio: 0,
      throughput_rps: first?.client.achievedRps,
    });
    expect(outcome.trials[1]?.metrics.p95_ms).toBe(172.5);
    expect(outcome.thresholds.map((t) => [t.metric, t.pass])).toEqual([
      ['p50_ms', true],
      ['p99_ms', true],
      ['error_ratio', true],
    ]);
  });

  it('records the answers Artillery confirmed, per variant', async () => {
    const { spec, hash } = await mixed();
    const { outcome } = importArtilleryReport(await fixture('mixed-report.json'), spec, hash);
    const report = outcome.correctness.find((v) => v.name === 'report');
    expect(report).toMatchObject({
      checksum: loopChecksum(3_000_000).toString(),
      consistent: true,
      checksums: { [loopChecksum(3_000_000).toString()]: 215 },
    });
    expect(outcome.correctness.every((v) => v.consistent)).toBe(true);
    expect(outcome.correctness.find((v) => v.name === 'export')?.payloadDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('marks variants whose answers failed Artillery’s checks as inconsistent (exit 4), and only those', async () => {
    const { spec, hash } = await mixed();
    const { outcome } = importArtilleryReport(await fixture('mixed-wrong-answers-report.json'), spec, hash);
    const consistent = Object.fromEntries(outcome.correctness.map((v) => [v.name, v.consistent]));
    expect(consistent).toEqual({ browse: false, search: false, report: true, export: false });
    // Every browse answer was wrong: the expected one stays listed at 0, so even without a baseline it is not "consistent".
    expect(outcome.correctness.find((v) => v.name === 'browse')?.checksums).toEqual({
      [loopChecksum(50_000).toString()]: 0,
      [MISMATCH_ANSWER]: 734,
    });
    // Which check of `export` failed is not reported: the mismatch goes on its checksum, not on its digest.
    expect(outcome.correctness.find((v) => v.name === 'export')?.payloadDigests).not.toHaveProperty(MISMATCH_ANSWER);
  });

  it('judges validity the same way as our trials: rate and error ratio', async () => {
    const { spec, hash } = await mixed();
    const report = await fixture('mixed-report.json');
    const slow = { ...spec, load: { ...spec.load, rateRps: 200 } };
    const { outcome } = importArtilleryReport(report, slow, hash);
    expect(outcome.status).toBe('invalid');
    expect(outcome.trials[0]?.validity).toEqual({
      valid: false,
      reasons: [expect.stringMatching(/^achieved 120\.5 req\/s of the target 200 \(60\.3% < 95%\)$/)],
    });
    const period = report.intermediate[1];
    if (!period) throw new Error('fixture has no second period');
    const failing: ArtilleryReport = {
      aggregate: report.aggregate,
      intermediate: [
        { ...period, counters: { ...period.counters, 'http.codes.200': 1100, 'http.codes.503': 105, 'errors.ECONNRESET': 3 } },
      ],
    };
    const [trial] = importArtilleryReport(failing, { ...spec, load: { ...spec.load, warmupSeconds: 0 } }, hash).outcome.trials;
    expect(trial?.client).toMatchObject({ errors: 108, connectionErrors: 3, statusCounts: { '200': 1100, '503': 105 } });
    expect(trial?.validity.valid).toBe(false);
    expect(trial?.metrics.error_ratio).toBeCloseTo(108 / 1200, 12);
  });

  it('says why a report without usable periods cannot be trusted', async () => {
    const { spec, hash } = await mixed();
    const report = await fixture('mixed-report.json');
    const { outcome } = importArtilleryReport({ ...report, intermediate: report.intermediate.slice(0, 1) }, spec, hash);
    expect(outcome).toMatchObject({ status: 'invalid', reason: 'no usable period in the report (period 21:43:40: contains the warm-up)' });
  });

  it('measures a period’s window from its first to last measurement plus one arrival interval, at most 10 s', () => {
    const period = { counters: {}, rates: {}, summaries: {}, period: 0, firstMetricAt: 1000, lastMetricAt: 5000 };
    expect(periodWindowSeconds(period, 100)).toBeCloseTo(4.01, 12);
    expect(periodWindowSeconds({ ...period, lastMetricAt: 20_000 }, 100)).toBe(10);
  });
});

describe('histograms rebuilt from Artillery summaries', () => {
  it('reproduce the summary at its points, with the exact count, min and max', () => {
    const summary = { min: 0, max: 229, count: 1205, mean: 39.9, p50: 18, p75: 34.1, p90: 125.2, p95: 169, p99: 194.4, p999: 210.6 };
    const histogram = decodeFromCompressedBase64(histogramFromSummary(summary));
    expect(histogram.totalCount).toBe(1205);
    expect(histogram.maxValue / 1000).toBeCloseTo(229, 0);
    for (const [percentile, expected] of [
      [50, 18],
      [90, 125.2],
      [95, 169],
      [99, 194.4],
    ] as const) {
      // Within the HDR's 3 significant digits and one step of the rebuilt spread.
      expect(Math.abs(histogram.getValueAtPercentile(percentile) / 1000 - expected) / expected).toBeLessThan(0.02);
    }
    histogram.destroy();
    const empty = decodeFromCompressedBase64(histogramFromSummary({ ...summary, count: 0 }));
    expect(empty.totalCount).toBe(0);
    empty.destroy();
  });
});

describe('reading a report', () => {
  it('refuses a truncated or foreign file in one line', () => {
    expect(parseArtilleryReport('{"aggregate": {"counters"', 'r.json')).toEqual({
      ok: false,
      reason: expect.stringMatching(/^r\.json is not valid JSON \(.+\); is it a complete Artillery --output report\?$/),
    });
    expect(parseArtilleryReport('{"results": []}', 'r.json')).toEqual({
      ok: false,
      reason: 'r.json: not an Artillery 2 JSON report: aggregate: Invalid input: expected object, received undefined',
    });
    expect(
      parseArtilleryReport(
        JSON.stringify({ aggregate: { counters: {}, firstMetricAt: 1, lastMetricAt: 2, period: 'x' }, intermediate: [] }),
        'r.json',
      ),
    ).toMatchObject({ ok: false, reason: expect.stringMatching(/^r\.json: not an Artillery 2 JSON report: aggregate\.period: /) });
  });
});
