#!/usr/bin/env node
/**
 * `npm run report`: regenerates the HTML report of a bench run from its results.json, and the
 * index of all runs beside it. `npm run bench` does this itself at the end of every run.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadReportAssets } from '../report/assets.js';
import { runFolders, writeRunReport, writeRunsIndex } from '../report/write-report.js';
import { readResults } from '../results/results.js';

const USAGE = `Usage: npm run report -- [RUN_DIR] [options]

Regenerates RUN_DIR/index.html from RUN_DIR/results.json, and the index of all runs
(index.html in RUN_DIR's parent folder). Pages are self-contained: they open offline, from
file:// or a CI artifact.

  RUN_DIR          a run folder holding results.json, or the results.json itself
                   (default: reports/latest)
  --all            regenerate the report of every run in the reports folder
  --reports DIR    the reports folder for --all (default: reports)
  -h, --help       show this help

Exit codes: 0 written; 2 bad usage or an unreadable results.json.`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      options: { all: { type: 'boolean' }, reports: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    });
  } catch (error) {
    return usageError((error as Error).message.replaceAll('\n', ' '));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length > 1) return usageError(`expected at most one RUN_DIR, got ${positionals.length}: ${positionals.join(' ')}`);
  if (values.all && positionals.length > 0) return usageError('--all regenerates every run; give either --all or a RUN_DIR');
  if (values.reports !== undefined && !values.all) return usageError('--reports only applies to --all');

  const assets = await loadReportAssets();
  if (values.all) {
    const reportsDir = values.reports ?? 'reports';
    let folders: string[];
    try {
      folders = await runFolders(reportsDir);
    } catch (error) {
      return usageError(`--reports: cannot read ${reportsDir} (${(error as Error).message})`);
    }
    let written = 0;
    for (const folder of folders) {
      const runDir = join(reportsDir, folder);
      const read = await readResults(join(runDir, 'results.json'));
      if (!read.ok) {
        process.stderr.write(`report: skipped ${runDir}: ${read.reason}\n`);
        continue;
      }
      await writeRunReport(runDir, read.results, assets);
      written++;
    }
    const index = await writeRunsIndex(reportsDir, assets);
    process.stdout.write(`report: regenerated ${written} run report(s); index: ${index}\n`);
    return 0;
  }

  let runDir = positionals[0] ?? join('reports', 'latest');
  if (basename(runDir) === 'results.json') runDir = dirname(runDir);
  const isDir = await stat(runDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir)
    return usageError(
      `RUN_DIR: expected a run folder holding results.json, found no folder at ${runDir}${positionals[0] ? '' : ' (no run yet? npm run bench first)'}`,
    );
  const read = await readResults(join(runDir, 'results.json'));
  if (!read.ok) return usageError(read.reason);
  const page = await writeRunReport(runDir, read.results, assets);
  // `latest` is a link: the runs index belongs in the folder that holds the run folders.
  const reportsDir = dirname(resolve(runDir));
  const index = await writeRunsIndex(reportsDir, assets);
  process.stdout.write(`report: ${relative(process.cwd(), page)}\nruns: ${relative(process.cwd(), index)}\n`);
  return 0;
}

function usageError(message: string): number {
  process.stderr.write(`report: ${message} (see --help)\n`);
  return 2;
}

process.exitCode = await main();
