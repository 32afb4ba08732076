import { readResultsFixture } from '../support/results-fixture.js';
import { describe, expect, it } from 'vitest';
import type { ChartSpec } from '../../bench/report/chart-data.js';
import type { ReportAssets } from '../../bench/report/page.js';
import { renderRunReport } from '../../bench/report/render-run.js';
import type { BenchResults } from '../../bench/results/results.js';

/**
 * A real A/B run (`--against`, 4 trials a side, `--profile cpuprofile`) of a tiny scenario whose
 * current side does extra BigInt work: the gate found regressions and the differential profile
 * names simulateLoopBigInt.
 */
const fixture = (): BenchResults => readResultsFixture();
const ASSETS: ReportAssets = { uplotJs: '/* uplot */', uplotCss: '/* uplot css */', clientJs: '/* client */' };

function chartsOf(page: string): ChartSpec[] {
  const json = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(page)?.[1];
  expect(json).toBeDefined();
  return (JSON.parse(json as string) as { charts: ChartSpec[] }).charts;
}

describe('the run report, rendered from a results.json fixture', () => {
  const page = renderRunReport({ results: fixture(), assets: ASSETS, files: { summaryMd: true, junitXml: true } });

  it('is one accessible HTML document with the outcome, a summary table and the gate', () => {
    expect(page).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(page).toContain('<title>metric-lab report 20261126-045424-4149</title>');
    expect(page).toContain('Exit 1: performance regression in tiny-loop p95_ms, tiny-loop server_cpu_ms_per_request');
    expect(page).toMatch(/<nav class="toc" aria-label="Contents">/);
    expect(page).toMatch(/<th scope="row"><a href="#scenario-tiny-loop">tiny-loop<\/a><\/th>/);
    // Thresholds with their values, and the verdict.
    expect(page).toMatch(/<code>p95_ms &lt; 100<\/code>: [\d.]+ ms <span class="status pass">pass<\/span>/);
    expect(page).toMatch(/<span class="status regression">REGRESSION<\/span>/);
    // The interval of each change is drawn, and described for screen readers.
    expect(page).toMatch(
      /<svg width="180" height="26" [^>]*role="img" aria-label="change \+\d+\.\d%, 95% interval \[\+[\d.]+%, \+[\d.]+%\], allowed \+10%/,
    );
  });

  it('shows the differential profile of the regressed scenario, with the function that grew first', () => {
    expect(page).toContain('<h2 id="differential-title">Where the time went: differential profiles of regressed scenarios</h2>');
    const selfTable = page.slice(page.indexOf('functions whose self time grew most'));
    expect(selfTable).toMatch(
      /^functions whose self time grew most[^<]*<\/caption>\s*<thead>.*?<\/thead>\s*<tbody><tr><td><code class="name">simulateLoopBigInt<\/code>/s,
    );
    expect(page).toContain('<a href="profiles/tiny-loop/regression/differential.html">differential profile</a>');
  });

  it('describes a chart per view, each with a labelled container, and links every file', () => {
    const charts = chartsOf(page);
    expect(charts.map((c) => c.id)).toEqual([
      'scenario-tiny-loop-percentiles',
      'scenario-tiny-loop-distribution',
      'scenario-tiny-loop-trials',
    ]);
    for (const chart of charts) {
      expect(page).toMatch(new RegExp(`<div class="chart" id="${chart.id}" role="img" aria-label="[^"]+x axis: [^"]+; y axis: [^"]+"`));
      for (const series of chart.series) expect(series.values).toHaveLength(chart.x.length);
    }
    const [percentiles] = charts;
    // Both sides, each pooled and with its trial-to-trial range.
    expect(percentiles?.series.map((s) => s.label)).toEqual([
      'baseline (all trials)',
      'baseline slowest trial',
      'baseline fastest trial',
      'current (all trials)',
      'current slowest trial',
      'current fastest trial',
    ]);
    expect(percentiles?.bands).toEqual([
      [1, 2],
      [4, 5],
    ]);
    for (const href of [
      'results.json',
      'summary.md',
      'junit.xml',
      'profiles/tiny-loop/cpu.cpuprofile',
      'profiles/tiny-loop/cpu-flamegraph.html',
      '../index.html',
    ]) {
      expect(page).toContain(`href="${href}"`);
    }
  });

  it('has the trial-by-trial values, server sections, checksums and the environment', () => {
    expect(page.match(/<td>baseline<\/td><td class="num">\d<\/td>/g)).toHaveLength(4);
    expect(page.match(/<td>current<\/td><td class="num">\d<\/td>/g)).toHaveLength(4);
    expect(page).toMatch(/<code>loop<\/code><\/th><td>baseline<\/td>/);
    const checksum = fixture().scenarios[0]?.correctness[0]?.checksum;
    expect(checksum).toMatch(/^\d+$/);
    expect(page).toContain(`<td>current</td><td>work</td><td><code>${checksum}</code></td>`);
    expect(page).toMatch(/<dt>Node.js<\/dt><dd>v20\.[\d.]+ \(V8 /);
    expect(page).toContain('Trial by trial');
  });

  it('loads nothing from the network: scripts and styles are inline', () => {
    expect(page).not.toMatch(/<script[^>]+src=/);
    expect(page).not.toMatch(/<link[^>]+rel="?stylesheet/);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(page).toContain('<script>/* uplot */</script>');
  });

  it('escapes what runs and scenario files say, and links only files that exist', () => {
    const results = fixture();
    const [scenario] = results.scenarios;
    if (!scenario) throw new Error('fixture has no scenario');
    scenario.spec.description = '<img src=x onerror=alert(1)> & "quotes"';
    const other = renderRunReport({ results, assets: ASSETS, files: { summaryMd: false, junitXml: false } });
    expect(other).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;');
    expect(other).not.toContain('<img src=x');
    expect(other).not.toContain('href="summary.md"');
    expect(other).not.toContain('href="junit.xml"');
  });

  it('is a pure function of its input', () => {
    expect(renderRunReport({ results: fixture(), assets: ASSETS, files: { summaryMd: true, junitXml: true } })).toBe(page);
  });

  it('renders a plain run and a calibration run, and results written before profiles existed', () => {
    const { profiles: _profiles, ...older } = fixture();
    const plain: BenchResults = { ...older, reference: null, gate: null, calibration: null };
    const plainPage = renderRunReport({ results: plain, assets: ASSETS, files: { summaryMd: false, junitXml: false } });
    expect(plainPage).toContain('plain run (no gate)');
    expect(plainPage).not.toContain('id="gate"');
    expect(chartsOf(plainPage)[0]?.series.map((s) => s.label)).toEqual([
      'current (all trials)',
      'current slowest trial',
      'current fastest trial',
    ]);

    const calibrated: BenchResults = {
      ...fixture(),
      calibration: {
        alpha: 0.05,
        firstLookAlpha: 0.025,
        familySize: 2,
        rows: [
          {
            scenario: 'tiny-loop',
            metric: 'p95_ms',
            sigmaLog: 0.08,
            sigmaLogUpper: 0.12,
            trialsPerSide: 4,
            minimumDetectableRegression: 0.31,
            allowedRegression: 0.1,
            trialsNeededForAllowed: 23,
            design: 'paired',
            proposedMargin: 0.27,
            caughtWithProposed: 0.45,
          },
        ],
      },
    };
    const calibrationPage = renderRunReport({ results: calibrated, assets: ASSETS, files: { summaryMd: false, junitXml: false } });
    expect(calibrationPage).toMatch(
      /<td class="num">8\.0%<\/td><td class="num">4<\/td>\s*<td class="num">\+31\.0%<\/td><td class="num">\+10%<\/td><td class="num">23<\/td>/,
    );
  });
});
