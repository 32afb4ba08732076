import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../../lib/atomic-file.js';
import { readResults, type BenchResults } from '../results/results.js';
import { loadReportAssets } from './assets.js';
import type { ReportAssets } from './page.js';
import { digestRun, renderRunsIndex, type RunEntry } from './render-index.js';
import { renderRunReport } from './render-run.js';

/** Writes `<runDir>/index.html` from its results. */
export async function writeRunReport(runDir: string, results: BenchResults, assets: ReportAssets): Promise<string> {
  const exists = (name: string) =>
    access(join(runDir, name)).then(
      () => true,
      () => false,
    );
  const page = renderRunReport({ results, assets, files: { summaryMd: await exists('summary.md'), junitXml: await exists('junit.xml') } });
  return writeFileAtomically(join(runDir, 'index.html'), page);
}

/** Writes `<reportsDir>/index.html` over every run folder in it. */
export async function writeRunsIndex(reportsDir: string, assets: ReportAssets): Promise<string> {
  const entries: RunEntry[] = [];
  for (const dir of await runFolders(reportsDir)) {
    const read = await readResults(join(reportsDir, dir, 'results.json'));
    entries.push(
      read.ok
        ? { status: 'ok', digest: digestRun(read.results, dir) }
        : { status: 'unreadable', dir, reason: read.reason.replace(`${join(reportsDir, dir)}/`, '') },
    );
  }
  return writeFileAtomically(join(reportsDir, 'index.html'), renderRunsIndex(entries, assets));
}

/** Both pages after a bench run. */
export async function writeReports(runDir: string, reportsDir: string, results: BenchResults): Promise<{ run: string; index: string }> {
  const assets = await loadReportAssets();
  return { run: await writeRunReport(runDir, results, assets), index: await writeRunsIndex(reportsDir, assets) };
}

/** Run folders (not the `latest` link, not loose files), oldest first by name (= run id). */
export async function runFolders(reportsDir: string): Promise<string[]> {
  const entries = await readdir(reportsDir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
}
