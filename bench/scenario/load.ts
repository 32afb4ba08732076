import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { KNOB_SPECS } from '../../server/work/knobs.js';
import { microScenarioHash, scenarioHash } from './hash.js';
import { microScenarioFileSchema, toMicroSpec } from './micro-schema.js';
import type { MicroScenarioSpec } from './micro-spec.js';
import { scenarioFileSchema, toScenarioSpec } from './schema.js';
import type { ScenarioSpec } from './spec.js';

/** One problem in a scenario file, located as precisely as the YAML allows. */
export interface ScenarioError {
  file: string;
  line: number | null;
  column: number | null;
  /** Dotted path of the field, e.g. `load.rate_rps` or `requests[1].query.loop_iterations`. */
  field: string;
  message: string;
}

export type LoadedScenario = { ok: true; spec: ScenarioSpec; hash: string } | { ok: false; errors: ScenarioError[] };

/** A scenario of either kind: load (the default) or micro-benchmarks (`kind: micro`). */
export type AnyScenario = { kind: 'load'; spec: ScenarioSpec; hash: string } | { kind: 'micro'; spec: MicroScenarioSpec; hash: string };
export type LoadedAnyScenario = { ok: true; scenario: AnyScenario } | { ok: false; errors: ScenarioError[] };

export function formatScenarioError(error: ScenarioError): string {
  const where = error.line === null ? error.file : `${error.file}:${error.line}:${error.column ?? 1}`;
  return `${where}: ${error.field === '' ? '' : `${error.field}: `}${error.message}`;
}

/** A load scenario file, read and validated; a micro scenario is an error here. */
export async function loadScenarioFile(path: string): Promise<LoadedScenario> {
  const loaded = await loadAnyScenarioFile(path);
  if (!loaded.ok) return loaded;
  if (loaded.scenario.kind === 'load') return { ok: true, spec: loaded.scenario.spec, hash: loaded.scenario.hash };
  return { ok: false, errors: [{ file: path, line: 1, column: 1, field: 'kind', message: 'expected a load scenario, got kind: micro' }] };
}

/** A scenario file of either kind, read and validated. */
export async function loadAnyScenarioFile(path: string): Promise<LoadedAnyScenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a scenario file' : (error as Error).message;
    return { ok: false, errors: [{ file: path, line: null, column: null, field: '', message }] };
  }
  return parseAnyScenario(text, path);
}

/** Parses and validates a load scenario's YAML (pure); a micro scenario is an error here. */
export function parseScenario(text: string, file: string): LoadedScenario {
  const parsed = parseAnyScenario(text, file);
  if (!parsed.ok) return parsed;
  if (parsed.scenario.kind === 'load') return { ok: true, spec: parsed.scenario.spec, hash: parsed.scenario.hash };
  return { ok: false, errors: [{ file, line: 1, column: 1, field: 'kind', message: 'expected a load scenario, got kind: micro' }] };
}

/** Parses and validates scenario YAML of either kind (pure apart from the given text and file name). */
export function parseAnyScenario(text: string, file: string): LoadedAnyScenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((error) => {
        const pos = lineCounter.linePos(error.pos[0]);
        return { file, line: pos.line, column: pos.col, field: '', message: `YAML syntax error: ${error.message.split('\n')[0]}` };
      }),
    };
  }
  // Aliases are expanded with yaml's own bound (maxAliasCount): a file of nested aliases (a
  // "billion laughs") is refused instead of expanding into gigabytes.
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    return {
      ok: false,
      errors: [
        {
          file,
          line: null,
          column: null,
          field: '',
          message: `YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} alias uses): ${error.message}`,
        },
      ],
    };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return {
      ok: false,
      errors: [{ file, line: 1, column: 1, field: '', message: 'expected a mapping (description:, load:, …) at the top level' }],
    };
  }
  const fallbackName = basename(file, extname(file));
  if ((data as { kind?: unknown }).kind === 'micro') {
    const parsed = microScenarioFileSchema.safeParse(data, { reportInput: true });
    if (!parsed.success) {
      return {
        ok: false,
        errors: parsed.error.issues.flatMap((issue) => describeIssue(issue, doc, lineCounter, file, microScenarioFileSchema)),
      };
    }
    const spec = toMicroSpec(parsed.data, fallbackName, file);
    return { ok: true, scenario: { kind: 'micro', spec, hash: microScenarioHash(spec) } };
  }
  const parsed = scenarioFileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.flatMap((issue) => describeIssue(issue, doc, lineCounter, file, scenarioFileSchema)) };
  }
  const spec = toScenarioSpec(parsed.data, fallbackName, file);
  return { ok: true, scenario: { kind: 'load', spec, hash: scenarioHash(spec) } };
}

/** Generous for a hand-written scenario (they use none); small enough to stop exponential expansion. */
const MAX_ALIAS_COUNT = 100;

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

function describeIssue(issue: Issue, doc: Document, lineCounter: LineCounter, file: string, root: unknown): ScenarioError[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const path = [...issue.path, key];
      // A lab request's query is a free mapping in the schema, checked against the knobs: name them.
      const known = knownKeys(root, issue.path) ?? (issue.path.at(-1) === 'query' ? KNOB_SPECS.map((spec) => spec.param) : null);
      return locate(doc, lineCounter, file, path, `unknown field "${key}"${known ? `; expected one of ${known.join(', ')}` : ''}`, true);
    });
  }
  return [locate(doc, lineCounter, file, issue.path, issueMessage(issue), false)];
}

function issueMessage(issue: Issue): string {
  const input = (issue as { input?: unknown }).input;
  const got = `got ${describeValue(input)}`;
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined ? `is required (${article(issue.expected)})` : `expected ${article(issue.expected)}, ${got}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `expected at least ${String(issue.minimum)} entries`
        : `expected a value ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}, ${got}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `expected at most ${String(issue.maximum)} entries`
        : `expected a value ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}, ${got}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, ${got}`;
    case 'invalid_format':
      return `expected ${issue.message}, ${got}`;
    case 'invalid_union':
      return `expected a number or a string, ${got}`;
    default:
      return issue.message;
  }
}

function article(type: string): string {
  if (type === 'int') return 'an integer';
  if (type === 'object') return 'a mapping';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  // JSON.stringify would print a YAML 1e400 (Infinity) as "null".
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value);
}

function locate(
  doc: Document,
  lineCounter: LineCounter,
  file: string,
  path: readonly PathKey[],
  message: string,
  atKey: boolean,
): ScenarioError {
  const field = formatPath(path);
  const offset = nodeOffset(doc, path, atKey);
  const pos = offset === null ? null : lineCounter.linePos(offset);
  return { file, line: pos?.line ?? null, column: pos?.col ?? null, field, message };
}

/** The source offset of the node at `path` (or of its key), falling back to the nearest parent. */
function nodeOffset(doc: Document, path: readonly PathKey[], atKey: boolean): number | null {
  for (let depth = path.length; depth >= 0; depth--) {
    const prefix = path.slice(0, depth);
    if (atKey && depth === path.length && depth > 0) {
      const parent = doc.getIn(prefix.slice(0, -1) as unknown[], true);
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === prefix[prefix.length - 1]);
        const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
        if (range) return range[0];
      }
      continue;
    }
    const node = doc.getIn(prefix as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return node.range[0];
  }
  return null;
}

function formatPath(path: readonly PathKey[]): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc === '' ? String(key) : `${acc}.${String(key)}`),
    '',
  );
}

/** Field names allowed at `path`, read from the schema, for "did you mean" hints. */
function knownKeys(root: unknown, path: readonly PathKey[]): string[] | null {
  let schema: unknown = root;
  const unwrap = (s: unknown): unknown => {
    let current = s as { _zod?: { def: { type: string; innerType?: unknown } } };
    while (current?._zod && ['default', 'optional', 'pipe'].includes(current._zod.def.type) && current._zod.def.innerType) {
      current = current._zod.def.innerType as typeof current;
    }
    return current;
  };
  for (const key of path) {
    const def = (unwrap(schema) as { _zod?: { def: { type: string; shape?: Record<string, unknown>; element?: unknown } } })?._zod?.def;
    if (!def) return null;
    if (def.type === 'object' && typeof key === 'string') schema = def.shape?.[key];
    else if (def.type === 'array' && typeof key === 'number') schema = def.element;
    else return null;
  }
  const def = (unwrap(schema) as { _zod?: { def: { type: string; shape?: Record<string, unknown> } } })?._zod?.def;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape).filter((k) => k !== '$schema') : null;
}
