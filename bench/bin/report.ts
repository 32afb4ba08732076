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
import { isEntryPoint, oneLine, runCli, usageError, type Parsed } from '../../lib/cli.js';

/** The help text; `invocation` is how the user started it (`npm run report --`, `metric-lab report`). */
export const usage = (invocation = 'npm run report --') => `Usage: ${invocation} [RUN_DIR] [options]

Regenerates RUN_DIR/index.html from RUN_DIR/results.json, and the index of all runs
(index.html in RUN_DIR's parent folder). Pages are self-contained: they open offline, from
file:// or a CI artifact.

  RUN_DIR          a run folder holding results.json, or the results.json itself
                   (default: ${DEFAULTS.runDir})
  --all            regenerate the report of every run in the reports folder
  --reports DIR    the reports folder for --all (default: ${DEFAULTS.reportsDir})
  -h, --help       show this help

Exit codes: 0 written; 2 bad usage or an unreadable results.json.`;

export const TOOL = 'report';

/** Defaults, once: the parser and the help text both read them. */
export const DEFAULTS = { reportsDir: 'reports', runDir: join('reports', 'latest') } as const;

export type ReportOptions = { kind: 'all'; reportsDir: string } | { kind: 'one'; runDir: string; given: boolean };

/** Parses `npm run report` arguments (pure). */
export function parseReportArgs(argv: readonly string[]): Parsed<ReportOptions> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { all: { type: 'boolean' }, reports: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    });
  } catch (error) {
    return { kind: 'error', message: oneLine(error) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (positionals.length > 1)
    return { kind: 'error', message: `expected at most one RUN_DIR, got ${positionals.length}: ${positionals.join(' ')}` };
  if (values.all && positionals.length > 0)
    return { kind: 'error', message: '--all regenerates every run; give either --all or a RUN_DIR' };
  if (values.reports !== undefined && !values.all) return { kind: 'error', message: '--reports only applies to --all' };
  if (values.all) return { kind: 'ok', options: { kind: 'all', reportsDir: values.reports ?? DEFAULTS.reportsDir } };
  let runDir = positionals[0] ?? DEFAULTS.runDir;
  if (basename(runDir) === 'results.json') runDir = dirname(runDir);
  return { kind: 'ok', options: { kind: 'one', runDir, given: positionals[0] !== undefined } };
}

export async function main(options: ReportOptions): Promise<number> {
  const assets = await loadReportAssets();
  if (options.kind === 'all') {
    const { reportsDir } = options;
    let folders: string[];
    try {
      folders = await runFolders(reportsDir);
    } catch (error) {
      return usageError(TOOL, `--reports: cannot read ${reportsDir} (${(error as Error).message})`);
    }
    let written = 0;
    for (const folder of folders) {
      const runDir = join(reportsDir, folder);
      const read = await readResults(join(runDir, 'results.json'));
      if (!read.ok) {
        process.stderr.write(`${TOOL}: skipped ${runDir}: ${read.reason}\n`);
        continue;
      }
      await writeRunReport(runDir, read.results, assets);
      written++;
    }
    const index = await writeRunsIndex(reportsDir, assets);
    process.stdout.write(`${TOOL}: regenerated ${written} run report(s); index: ${index}\n`);
    return 0;
  }

  const { runDir } = options;
  const isDir = await stat(runDir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) {
    return usageError(
      TOOL,
      `RUN_DIR: expected a run folder holding results.json, found no folder at ${runDir}${options.given ? '' : ' (no run yet? npm run bench first)'}`,
    );
  }
  const read = await readResults(join(runDir, 'results.json'));
  if (!read.ok) return usageError(TOOL, read.reason);
  const page = await writeRunReport(runDir, read.results, assets);
  // `latest` is a link: the runs index belongs in the folder that holds the run folders.
  const reportsDir = dirname(resolve(runDir));
  const index = await writeRunsIndex(reportsDir, assets);
  process.stdout.write(`${TOOL}: ${relative(process.cwd(), page)}\nruns: ${relative(process.cwd(), index)}\n`);
  return 0;
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runCli({ tool: TOOL, usage: () => usage(), parse: parseReportArgs, main });
