import { access, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RESULTS_SCHEMA_VERSION, type BenchResults } from '../results/results.js';
import { loadReportAssets } from './assets.js';
import type { ReportAssets } from './page.js';
import { digestRun, renderRunsIndex, type RunEntry } from './render-index.js';
import { renderRunReport } from './render-run.js';

export type ResultsRead = { ok: true; results: BenchResults } | { ok: false; reason: string };

/** Reads a run's results.json, checking it is one this version can render. */
export async function readResults(path: string): Promise<ResultsRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? `no ${path}` : `cannot read ${path}: ${(error as Error).message}` };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `${path} is not valid JSON (${(error as Error).message})` };
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== RESULTS_SCHEMA_VERSION) {
    return { ok: false, reason: `${path}: expected schemaVersion ${RESULTS_SCHEMA_VERSION}, found ${JSON.stringify(version ?? null)}` };
  }
  return { ok: true, results: data as BenchResults };
}

/** Writes `<runDir>/index.html` from its results. */
export async function writeRunReport(runDir: string, results: BenchResults, assets: ReportAssets): Promise<string> {
  const exists = (name: string) =>
    access(join(runDir, name)).then(
      () => true,
      () => false,
    );
  const page = renderRunReport({ results, assets, files: { summaryMd: await exists('summary.md'), junitXml: await exists('junit.xml') } });
  return writeAtomically(join(runDir, 'index.html'), page);
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
  return writeAtomically(join(reportsDir, 'index.html'), renderRunsIndex(entries, assets));
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

async function writeAtomically(path: string, content: string): Promise<string> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
  return path;
}
