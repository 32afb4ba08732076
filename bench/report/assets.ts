import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRootOf } from '../../lib/package-root.js';
import type { ReportAssets } from './page.js';

const require = createRequire(import.meta.url);

/**
 * Reads what the pages inline, at generation time: uPlot from node_modules (no CDN) and the page
 * script, which lives as source in bench/report/client/ (found from here whether this runs from
 * dist/ or from the sources).
 */
export async function loadReportAssets(): Promise<ReportAssets> {
  const [uplotJs, uplotCss, clientJs] = await Promise.all([
    readFile(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    readFile(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    readFile(join(packageRootOf(import.meta.url), 'bench', 'report', 'client', 'report-client.js'), 'utf8'),
  ]);
  return { uplotJs, uplotCss, clientJs };
}
