import { readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { formatScenarioError, loadAnyScenarioFile, type AnyScenario } from './load.js';
import type { MicroScenarioSpec } from './micro-spec.js';
import type { ScenarioSpec } from './spec.js';

/** The selected scenarios by kind, each in file-name order. */
export type SuiteResult =
  | {
      ok: true;
      scenarios: Array<{ spec: ScenarioSpec; hash: string }>;
      micro: Array<{ spec: MicroScenarioSpec; hash: string }>;
    }
  | { ok: false; errors: string[] };

const SCENARIO_EXTENSIONS = new Set(['.yaml', '.yml']);

/** Scenario files in `dir`, by name (file name without extension), sorted. */
export async function listScenarioFiles(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && SCENARIO_EXTENSIONS.has(extname(e.name)))
    .map((e) => e.name)
    .sort();
  return new Map(files.map((name) => [basename(name, extname(name)), join(dir, name)]));
}

/**
 * Resolves `--scenario` selections (names in `dir`, or paths to files) — every scenario in `dir`
 * when none is given — and validates all of them before anything runs.
 */
export async function loadSuite(dir: string, selections: readonly string[]): Promise<SuiteResult> {
  let available: Map<string, string>;
  try {
    available = await listScenarioFiles(dir);
  } catch (error) {
    if (selections.length === 0) return { ok: false, errors: [`cannot read the scenarios folder ${dir}: ${(error as Error).message}`] };
    available = new Map();
  }
  const paths: string[] = [];
  const errors: string[] = [];
  for (const selection of selections.length > 0 ? selections : [...available.keys()]) {
    const path = available.get(selection) ?? (SCENARIO_EXTENSIONS.has(extname(selection)) ? selection : null);
    if (path === null) {
      errors.push(
        `unknown scenario "${selection}": expected one of ${[...available.keys()].join(', ') || '(none found)'} or a path to a .yaml file`,
      );
    } else if (!paths.includes(path)) {
      paths.push(path);
    }
  }
  if (paths.length === 0 && errors.length === 0) errors.push(`no scenario files (*.yaml) in ${dir}`);
  const loaded = await Promise.all(paths.map(loadAnyScenarioFile));
  const all: AnyScenario[] = [];
  for (const result of loaded) {
    if (result.ok) all.push(result.scenario);
    else errors.push(...result.errors.map(formatScenarioError));
  }
  const names = new Map<string, number>();
  for (const s of all) names.set(s.spec.name, (names.get(s.spec.name) ?? 0) + 1);
  for (const [name, count] of names) if (count > 1) errors.push(`${count} selected scenarios are named "${name}"; names must be unique`);
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    scenarios: all.flatMap((s) => (s.kind === 'load' ? [{ spec: s.spec, hash: s.hash }] : [])),
    micro: all.flatMap((s) => (s.kind === 'micro' ? [{ spec: s.spec, hash: s.hash }] : [])),
  };
}
