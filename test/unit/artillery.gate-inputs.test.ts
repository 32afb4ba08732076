import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BASELINE_LATENCY_NOTE, pairAgainstBaseline, pairAgainstReport } from '../../bench/artillery/gate.js';
import { importArtilleryReport } from '../../bench/artillery/import.js';
import { parseArtilleryReport } from '../../bench/artillery/report.js';
import { loadScenarioFile } from '../../bench/scenario/load.js';
import type { ScenarioSpec } from '../../bench/scenario/spec.js';
import { readBaseline } from '../../ci/baseline/store.js';
import { evaluateGate } from '../../ci/gate/evaluate.js';

async function imported(name: string, edit: (spec: ScenarioSpec) => ScenarioSpec = (s) => s) {
  const loaded = await loadScenarioFile('scenarios/mixed.yaml');
  if (!loaded.ok) throw new Error('mixed did not load');
  const path = `test/fixtures/artillery/${name}`;
  const parsed = parseArtilleryReport(await readFile(path, 'utf8'), path);
  if (!parsed.ok) throw new Error(parsed.reason);
  return importArtilleryReport(parsed.report, edit(loaded.spec), loaded.hash).outcome;
}

describe('the gate over imported Artillery runs', () => {
  it('compares two reports as independent samples, on the metrics Artillery has', async () => {
    const reference = await imported('mixed-report.json');
    const current = await imported('mixed-report.json', (spec) => ({
      ...spec,
      gate: [
        ...spec.gate,
        { metric: 'duet.cpu_ms_per_request', allowed: { kind: 'relative', fraction: 0.025, direction: 'increase', source: '+2.5%' } },
      ],
    }));
    const pair = pairAgainstReport(reference, current);
    expect(pair.design).toBe('independent');
    expect(pair.baseline?.trialIndices).toBeNull();
    expect(pair.gate.map((rule) => rule.metric)).toEqual(['p95_ms', 'p99_ms', 'error_ratio']);
    const { metrics, correctness } = evaluateGate([pair], { alpha: 0.05 });
    // Two periods a side cannot decide a +1% margin: the gate says so rather than guess.
    expect(metrics.map((m) => [m.metric, m.verdict])).toEqual([
      ['p95_ms', 'inconclusive'],
      ['p99_ms', 'inconclusive'],
      ['error_ratio', 'pass'],
    ]);
    expect(correctness.map((c) => c.status)).toEqual(['same', 'same', 'same', 'same']);
  });

  it('against committed baselines compares answers only, and says why not latency', async () => {
    const baseline = await readBaseline('ci/baselines', 'mixed');
    if (baseline.status !== 'found') throw new Error('no committed mixed baseline');
    const current = await imported('mixed-report.json');
    // Even on the machine that recorded the baseline: the two tools measure latency differently.
    const here = baseline.baseline.environment;
    const pair = pairAgainstBaseline(baseline.baseline, current, here);
    expect(pair.incomparable).toBe(BASELINE_LATENCY_NOTE);
    const { metrics, correctness } = evaluateGate([pair], { alpha: 0.05 });
    expect(new Set(metrics.map((m) => m.verdict))).toEqual(new Set(['skipped']));
    expect(correctness.map((c) => [c.variant, c.status])).toEqual([
      ['browse', 'same'],
      ['search', 'same'],
      ['report', 'same'],
      ['export', 'same'],
    ]);
    const wrong = await imported('mixed-wrong-answers-report.json');
    const changed = evaluateGate([pairAgainstBaseline(baseline.baseline, wrong, here)], { alpha: 0.05 });
    expect(changed.correctness.filter((c) => c.status !== 'same').map((c) => c.variant)).toEqual(['browse', 'search', 'export']);
  });
});
