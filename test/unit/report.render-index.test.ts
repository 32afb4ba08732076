import { readResultsFixture } from '../support/results-fixture.js';
import { describe, expect, it } from 'vitest';
import type { ChartSpec } from '../../bench/report/chart-data.js';
import { digestRun, renderRunsIndex, type RunEntry } from '../../bench/report/render-index.js';

const ASSETS = { uplotJs: '/* uplot */', uplotCss: '', clientJs: '/* client */' };

describe('the across-runs index', () => {
  const first = readResultsFixture();
  const second = {
    ...readResultsFixture(),
    runId: '20261127-101010-beef',
    startedAt: '2026-11-27T10:10:10.000Z',
    gate: null,
    reference: null,
  };
  const entries: RunEntry[] = [
    { status: 'ok', digest: digestRun(second, '20261127-101010-beef') },
    { status: 'ok', digest: digestRun(first, '20261126-045424-4149') },
    { status: 'unreadable', dir: '20261125-000000-dead', reason: 'no results.json' },
  ];
  const page = renderRunsIndex(entries, ASSETS);

  it('digests a run: mode, exit code, commit and each scenario p95/p99', () => {
    const digest = digestRun(first, 'dir');
    expect(digest).toMatchObject({ mode: 'A/B vs 6ce51a4', exitCode: 1, runId: '20261126-045424-4149' });
    expect(digest.scenarios).toEqual([
      {
        name: 'tiny-loop',
        hash: first.scenarios[0]?.hash,
        status: 'ok',
        p95Ms: first.scenarios[0]?.aggregate?.latency.p95Ms,
        p99Ms: first.scenarios[0]?.aggregate?.latency.p99Ms,
      },
    ]);
  });

  it('lists runs newest first with links to their reports, and names folders it could not read', () => {
    const newer = page.indexOf('href="20261127-101010-beef/index.html"');
    const older = page.indexOf('href="20261126-045424-4149/index.html"');
    expect(newer).toBeGreaterThan(0);
    expect(older).toBeGreaterThan(newer);
    expect(page).toContain('<span class="status fail">exit 1</span>');
    expect(page).toContain('<span class="status pass">exit 0</span>');
    expect(page).toContain('<code>20261125-000000-dead</code> (no results.json)');
  });

  it("charts each scenario's p95 and p99 over the runs, oldest first, with the numbers in a table", () => {
    const json = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(page)?.[1] as string;
    const charts = (JSON.parse(json) as { charts: ChartSpec[] }).charts;
    expect(charts).toHaveLength(1);
    const [trend] = charts;
    expect(trend).toMatchObject({
      id: 'trend-tiny-loop',
      xScale: 'time',
      x: [Date.parse(first.startedAt) / 1000, Date.parse(second.startedAt) / 1000],
    });
    expect(trend?.series.map((s) => s.label)).toEqual(['p95', 'p99']);
    const p95 = first.scenarios[0]?.aggregate?.latency.p95Ms ?? Number.NaN;
    expect(trend?.series[0]?.values).toEqual([p95, p95]);
    expect(page).toContain('<div class="chart" id="trend-tiny-loop" role="img"');
    expect(page).toContain('tiny-loop: pooled client latency per run');
  });

  it('says so when there are no runs yet', () => {
    expect(renderRunsIndex([], ASSETS)).toContain('No runs yet: run <code>npm run bench</code>.');
  });
});
