/**
 * The edge of `npm run bench -- --export artillery` and `--import artillery`: files in, files or
 * results out. The mapping itself is pure (script.ts, import.ts, gate.ts); the gate is the same
 * `decideGate` → `evaluateGate` path as every run's.
 */
import { readFile } from 'node:fs/promises';
import { readBaseline } from '../../ci/baseline/store.js';
import type { EnvironmentFingerprint } from '../../ci/gate/machine.js';
import type { GateReport, ScenarioPair } from '../../ci/gate/types.js';
import { writeFileAtomically } from '../../lib/atomic-file.js';
import { RESULTS_SCHEMA_VERSION, newRunId, type BenchResults } from '../results/results.js';
import { decideGate } from '../run/decide.js';
import type { ScenarioSpec } from '../scenario/spec.js';
import { pairAgainstBaseline, pairAgainstReport } from './gate.js';
import { ARTILLERY_NOTES, importArtilleryReport, type ImportedScenario } from './import.js';
import { parseArtilleryReport } from './report.js';
import { buildArtilleryScript, DEFAULT_LAB_URL, renderArtilleryYaml, type ExportOptions } from './script.js';

export type CommandResult = { ok: true } | { ok: false; message: string };

/** Writes the script to `outFile` (or stdout) and says on stderr what it does not reproduce. */
export async function exportArtillery(
  spec: ScenarioSpec,
  options: ExportOptions & { outFile: string | null },
  log: (line: string) => void,
): Promise<CommandResult> {
  const exported = buildArtilleryScript(spec, options);
  if (!exported.ok) return exported;
  const yaml = renderArtilleryYaml(spec, exported, options);
  for (const line of exported.unmapped) log(`artillery: not mapped: ${line}`);
  if (options.targetUrl === null)
    log(`artillery: the script targets ${DEFAULT_LAB_URL}; start the lab it measures with: ${exported.labCommand}`);
  if (options.outFile === null) {
    process.stdout.write(yaml);
  } else {
    await writeFileAtomically(options.outFile, yaml);
    log(`artillery: wrote ${options.outFile}`);
  }
  return { ok: true };
}

export interface ImportRequest {
  reportPath: string;
  /** `--against-report`: gate against this other imported run instead of committed baselines. */
  againstReportPath: string | null;
  /** Gate against committed baselines when there is no other report; false: thresholds only. */
  baselines: boolean;
  baselinesDir: string;
  spec: ScenarioSpec;
  hash: string;
  environment: EnvironmentFingerprint;
  signal: AbortSignal;
  log: (line: string) => void;
}

export type ImportResult = { ok: true; results: BenchResults; notes: string[] } | { ok: false; message: string };

/** Imports one report (and the reference report), gates it, and returns the run's results. */
export async function importArtillery(request: ImportRequest): Promise<ImportResult> {
  const started = new Date();
  const current = await readAndImport(request.reportPath, request.spec, request.hash);
  if (!current.ok) return current;
  const reference = request.againstReportPath === null ? null : await readAndImport(request.againstReportPath, request.spec, request.hash);
  if (reference && !reference.ok) return reference;

  let gate: GateReport | null = null;
  let pair: ScenarioPair | null = null;
  let referenceText = '';
  let referenceCommit: string | null = null;
  let machineNote: string | null = null;
  if (reference) {
    pair = pairAgainstReport(reference.imported.outcome, current.imported.outcome);
    referenceText = `Artillery report ${request.againstReportPath}`;
  } else if (request.baselines) {
    const loaded = await readBaseline(request.baselinesDir, request.spec.name);
    if (loaded.status === 'broken') return { ok: false, message: loaded.message };
    if (loaded.status === 'found') {
      pair = pairAgainstBaseline(loaded.baseline, current.imported.outcome, request.environment);
      referenceText = `${request.baselinesDir} (recorded ${loaded.baseline.recordedAt.slice(0, 10)} at ${loaded.baseline.git.commit?.slice(0, 12) ?? 'unknown commit'})`;
      referenceCommit = loaded.baseline.git.commit;
      machineNote = pair.incomparable;
    } else {
      request.log(`no baseline for ${request.spec.name} in ${request.baselinesDir}: not gating`);
    }
  }
  if (pair) {
    gate = await decideGate({
      mode: reference ? 'report' : 'baseline',
      reference: referenceText,
      referenceCommit,
      pairs: [pair],
      machineNote,
      // Nothing to extend: the reports are what they are.
      extend: null,
      fits: () => false,
      maxLooks: 1,
      signal: request.signal,
      log: request.log,
    });
  }

  const notes = [
    `Imported from Artillery: ${describe(request.reportPath, current.imported)}` +
      (reference ? `; reference ${describe(request.againstReportPath ?? '', reference.imported)}` : ''),
    ...ARTILLERY_NOTES,
    ...(current.imported.unavailable.length > 0
      ? [`Not checked (an Artillery report cannot answer them): ${current.imported.unavailable.join(', ')}.`]
      : []),
    'Environment: the machine that imported the report, not the one(s) that ran Artillery.',
  ];
  const finished = new Date();
  const results: BenchResults = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId: newRunId(started),
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationSeconds: current.imported.outcome.durationSeconds,
    environment: request.environment,
    options: { scenarios: [request.spec.name], trialsOverride: null, interrupted: request.signal.aborted },
    scenarios: [current.imported.outcome],
    micro: [],
    reference: reference
      ? { label: 'reference', ref: request.againstReportPath, commit: null, scenarios: [reference.imported.outcome], micro: [] }
      : null,
    gate,
    calibration: null,
    imported: {
      tool: 'artillery',
      reports: [request.reportPath, ...(request.againstReportPath ? [request.againstReportPath] : [])],
      notes,
    },
  };
  return { ok: true, results, notes };
}

function describe(path: string, imported: ImportedScenario): string {
  const used = imported.outcome.trials.length;
  return `${path}, ${used} period(s) as trials${imported.leftOut.length > 0 ? ` (left out: ${imported.leftOut.join('; ')})` : ''}`;
}

async function readAndImport(
  path: string,
  spec: ScenarioSpec,
  hash: string,
): Promise<{ ok: true; imported: ImportedScenario } | { ok: false; message: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, message: code === 'ENOENT' ? `no such report: ${path}` : `cannot read ${path}: ${(error as Error).message}` };
  }
  const parsed = parseArtilleryReport(text, path);
  if (!parsed.ok) return { ok: false, message: parsed.reason };
  return { ok: true, imported: importArtilleryReport(parsed.report, spec, hash) };
}
