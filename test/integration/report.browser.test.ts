import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
// The flags from NOTES.md: headless as root, nothing phoning home.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const RUN_ID = '20261126-045424-4149';

/** Opens a page from file://, recording every console error and every request that is not a local file. */
async function open(browser: Browser, path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (!request.url().startsWith('file://')) problems.push(`network request: ${request.url()}`);
  });
  await page.goto(`file://${path}`);
  return { page, problems };
}

/** The little of a browser canvas this test reads (the project compiles without the DOM lib). */
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, width: number, height: number): { data: ArrayLike<number> } } | null;
}

/** Painted pixels of every chart canvas: uPlot draws axes, grid and lines into one canvas each. */
function paintedPixels(page: Page): Promise<number[]> {
  return page.$$eval('.chart canvas', (elements) =>
    elements.map((element) => {
      const canvas = element as unknown as Canvas;
      const context = canvas.getContext('2d');
      if (!context) return 0;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let painted = 0;
      for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
      return painted;
    }),
  );
}

describe.skipIf(!existsSync(CHROMIUM))('the HTML report in headless Chromium', () => {
  let reports: string;
  let browser: Browser;

  beforeAll(async () => {
    reports = join(await mkdtemp(join(tmpdir(), 'metric-lab-report-')), 'reports');
    await mkdir(join(reports, RUN_ID), { recursive: true });
    await copyFile(new URL('../fixtures/report/results.json', import.meta.url), join(reports, RUN_ID, 'results.json'));
    // What `npm run report -- <run-dir>` runs.
    const { stdout } = await promisify(execFile)(process.execPath, ['dist/bench/bin/report.js', join(reports, RUN_ID)]);
    expect(stdout).toContain('index.html');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens offline from file://, draws every chart without console errors, and saves a screenshot', async () => {
    const { page, problems } = await open(browser, join(reports, RUN_ID, 'index.html'));
    await page.waitForSelector('body[data-charts-drawn="3"]', { timeout: 10_000 });
    const painted = await paintedPixels(page);
    expect(painted).toHaveLength(3);
    for (const count of painted) expect(count).toBeGreaterThan(2_000);
    // Every chart came with its legend, axis labels included.
    expect(await page.locator('.chart .u-legend').count()).toBe(3);
    expect(await page.locator('#scenario-tiny-loop-percentiles').getAttribute('aria-label')).toContain('y axis: latency (ms)');

    const screenshot = join(reports, RUN_ID, 'report.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    const png = await readFile(screenshot);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.length).toBeGreaterThan(50_000);
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);

  it('draws the across-runs trend chart in reports/index.html', async () => {
    const { page, problems } = await open(browser, join(reports, 'index.html'));
    await page.waitForSelector('body[data-charts-drawn="1"]', { timeout: 10_000 });
    const [painted] = await paintedPixels(page);
    expect(painted).toBeGreaterThan(1_000);
    expect(await page.locator(`a[href="${RUN_ID}/index.html"]`).count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 30_000);
});
