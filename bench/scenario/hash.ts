import { createHash } from 'node:crypto';
import type { MicroScenarioSpec } from './micro-spec.js';
import type { ScenarioSpec } from './spec.js';

/**
 * Identifies what a scenario measures: the target (only when it is not the lab, so hashes from
 * before targets existed stay valid), server knobs, request mix, load and validity rules.
 * Names, descriptions, thresholds and gate rules do not change a measurement, so editing them
 * keeps baselines comparable.
 */
export function scenarioHash(spec: ScenarioSpec): string {
  const measured = {
    ...(spec.target.kind === 'lab' ? {} : { target: spec.target }),
    serverArgs: spec.serverArgs,
    requests: spec.requests,
    load: spec.load,
    validity: spec.validity,
  };
  return `sha256:${createHash('sha256').update(canonicalJson(measured)).digest('hex').slice(0, 16)}`;
}

/** JSON with object keys sorted at every level, so equal data always hashes equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The same for a micro scenario: its tasks with their sizes and operation counts, and how they are timed. */
export function microScenarioHash(spec: MicroScenarioSpec): string {
  const measured = { kind: spec.kind, tasks: spec.tasks, timing: spec.timing, instructions: spec.instructions.enabled };
  return `sha256:${createHash('sha256').update(canonicalJson(measured)).digest('hex').slice(0, 16)}`;
}
