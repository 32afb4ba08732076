/**
 * The Prometheus text exposition format 0.0.4 (what prom-client serves on /metrics), parsed into
 * metric families. Strict where a scrape would fail (bad names, escapes, values, duplicate
 * series, a TYPE after its samples), so a test that parses our own /metrics catches real faults.
 */

export interface Sample {
  /** The sample's own name: `foo_bucket`, `foo_sum`, `foo_count` for a histogram `foo`. */
  name: string;
  /** Includes `le` (histogram buckets) and `quantile` (summaries). */
  labels: Readonly<Record<string, string>>;
  value: number;
}

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface MetricFamily {
  name: string;
  /** `untyped` when the text has no TYPE line for the family. */
  type: MetricType;
  help: string;
  samples: Sample[];
}

export type ParseResult = { ok: true; families: Map<string, MetricFamily> } | { ok: false; error: { line: number; message: string } };

const METRIC_TYPES: ReadonlySet<string> = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
// Go's strconv.ParseFloat, decimal forms (hex floats are not emitted by any client we read).
const DECIMAL_FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const TIMESTAMP_MS = /^-?\d+$/;

/** Suffixes that make a sample part of a histogram or summary family rather than its own. */
const MEMBER_SUFFIXES: ReadonlyArray<{ suffix: string; types: ReadonlySet<MetricType> }> = [
  { suffix: '_bucket', types: new Set<MetricType>(['histogram']) },
  { suffix: '_sum', types: new Set<MetricType>(['histogram', 'summary']) },
  { suffix: '_count', types: new Set<MetricType>(['histogram', 'summary']) },
];

/** Parses a whole exposition; never throws. Families keep the order of their first line. */
export function parsePrometheusText(text: string): ParseResult {
  const state: ParserState = { families: new Map(), typed: new Set(), helped: new Set(), seriesSeen: new Set() };
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index] ?? '';
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    try {
      parseLine(line, state);
    } catch (error) {
      if (error instanceof LineError) return { ok: false, error: { line: index + 1, message: error.message } };
      throw error;
    }
  }
  return { ok: true, families: state.families };
}

/** Parses a Go-style float as Prometheus values and `le` bounds are written; NaN when it is not one. */
export function parsePrometheusFloat(text: string): number {
  if (DECIMAL_FLOAT.test(text)) return Number(text);
  const lower = text.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  const unsigned = lower.replace(/^[+-]/, '');
  if (unsigned === 'inf' || unsigned === 'infinity') return lower.startsWith('-') ? -Infinity : Infinity;
  return Number.NaN;
}

interface ParserState {
  families: Map<string, MetricFamily>;
  /** Families that had a TYPE line (their samples' names are then taken literally). */
  typed: Set<string>;
  helped: Set<string>;
  seriesSeen: Set<string>;
}

/** A fault in the current line; caught in parsePrometheusText and turned into the error result. */
class LineError extends Error {}

function parseLine(line: string, state: ParserState): void {
  const trimmed = line.replace(/^[ \t]+/, '');
  if (trimmed === '') return;
  if (trimmed.startsWith('#')) {
    parseComment(trimmed, state);
    return;
  }
  parseSample(trimmed, state);
}

function parseComment(line: string, state: ParserState): void {
  const match = /^#[ \t]+(HELP|TYPE)(?:[ \t]+|$)(.*)$/.exec(line);
  if (match === null) return; // an ordinary comment
  const keyword = match[1] as 'HELP' | 'TYPE';
  const rest = match[2] ?? '';
  const name = METRIC_NAME.exec(rest)?.[0];
  if (name === undefined) throw new LineError(`# ${keyword} needs a metric name, found ${quote(rest)}`);
  const after = rest.slice(name.length);
  if (after !== '' && !/^[ \t]/.test(after)) {
    throw new LineError(`# ${keyword}: invalid metric name ${quote(name + after.split(/[ \t]/)[0])}`);
  }
  const argument = after.replace(/^[ \t]+/, '');

  if (keyword === 'HELP') {
    if (state.helped.has(name)) throw new LineError(`second HELP line for ${name}`);
    state.helped.add(name);
    familyFor(state, name).help = unescapeHelp(argument);
    return;
  }
  const type = argument.replace(/[ \t]+$/, '');
  if (!METRIC_TYPES.has(type)) {
    throw new LineError(`# TYPE ${name}: expected counter, gauge, histogram, summary or untyped, found ${quote(type)}`);
  }
  if (state.typed.has(name)) throw new LineError(`second TYPE line for ${name}`);
  const family = familyFor(state, name);
  if (family.samples.length > 0) throw new LineError(`TYPE line for ${name} comes after its samples`);
  family.type = type as MetricType;
  state.typed.add(name);
}

function parseSample(line: string, state: ParserState): void {
  const name = METRIC_NAME.exec(line)?.[0];
  if (name === undefined) throw new LineError(`expected a metric name at the start of the line, found ${quote(line)}`);
  let rest = line.slice(name.length);
  let labels: Record<string, string> = {};
  const labelsStart = rest.replace(/^[ \t]+/, '');
  if (labelsStart.startsWith('{')) {
    const parsed = parseLabels(labelsStart);
    labels = parsed.labels;
    rest = parsed.rest;
  }
  const fields = rest.split(/[ \t]+/).filter((field) => field !== '');
  if (!/^[ \t]/.test(rest) || fields.length === 0) {
    throw new LineError(rest.trim() === '' ? `sample ${name} has no value` : `unexpected ${quote(rest)} after ${name}`);
  }
  const [valueText = '', timestamp, ...extra] = fields;
  const value = parsePrometheusFloat(valueText);
  if (Number.isNaN(value) && valueText.toLowerCase() !== 'nan') {
    throw new LineError(`sample ${name}: expected a float value (or NaN, +Inf, -Inf), found ${quote(valueText)}`);
  }
  if (timestamp !== undefined && !TIMESTAMP_MS.test(timestamp)) {
    throw new LineError(`sample ${name}: expected an integer timestamp in ms, found ${quote(timestamp)}`);
  }
  if (extra.length > 0) throw new LineError(`sample ${name}: unexpected ${quote(extra.join(' '))} after the timestamp`);

  const family = familyForSample(state, name);
  checkMember(family, name, labels);
  const seriesKey = `${name}${JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;
  if (state.seriesSeen.has(seriesKey)) throw new LineError(`duplicate sample for ${name}${formatLabels(labels)}`);
  state.seriesSeen.add(seriesKey);
  family.samples.push({ name, labels, value });
}

/** `{a="x",b="y",}` at the start of `text`; returns the labels and what follows the `}`. */
function parseLabels(text: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let position = 1;
  const skipBlanks = () => {
    while (text[position] === ' ' || text[position] === '\t') position++;
  };
  for (;;) {
    skipBlanks();
    if (text[position] === '}') return { labels, rest: text.slice(position + 1) };
    const labelName = LABEL_NAME.exec(text.slice(position))?.[0];
    if (labelName === undefined) {
      throw new LineError(`expected a label name or '}' at column ${position + 1}, found ${quote(text.slice(position, position + 20))}`);
    }
    position += labelName.length;
    skipBlanks();
    if (text[position] !== '=') throw new LineError(`expected '=' after label ${labelName}`);
    position++;
    skipBlanks();
    if (text[position] !== '"') throw new LineError(`expected '"' to open the value of label ${labelName}`);
    position++;
    let value = '';
    for (;;) {
      const char = text[position];
      if (char === undefined) throw new LineError(`unterminated value for label ${labelName}`);
      position++;
      if (char === '"') break;
      if (char !== '\\') {
        value += char;
        continue;
      }
      const escaped = text[position];
      position++;
      if (escaped === '\\') value += '\\';
      else if (escaped === '"') value += '"';
      else if (escaped === 'n') value += '\n';
      else throw new LineError(`invalid escape ${quote(`\\${escaped ?? ''}`)} in the value of label ${labelName} (only \\\\, \\" and \\n)`);
    }
    if (Object.hasOwn(labels, labelName)) throw new LineError(`label ${labelName} appears twice`);
    labels[labelName] = value;
    skipBlanks();
    if (text[position] === ',') {
      position++;
      continue;
    }
    if (text[position] !== '}') throw new LineError(`expected ',' or '}' after the value of label ${labelName}`);
  }
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(.?)/g, (_all, escaped: string) => {
    if (escaped === '\\') return '\\';
    if (escaped === 'n') return '\n';
    throw new LineError(`invalid escape ${quote(`\\${escaped}`)} in HELP text (only \\\\ and \\n)`);
  });
}

function familyFor(state: ParserState, name: string): MetricFamily {
  let family = state.families.get(name);
  if (family === undefined) {
    family = { name, type: 'untyped', help: '', samples: [] };
    state.families.set(name, family);
  }
  return family;
}

/** `foo_bucket` belongs to histogram `foo` unless `foo_bucket` was declared a family of its own. */
function familyForSample(state: ParserState, sampleName: string): MetricFamily {
  if (!state.typed.has(sampleName)) {
    for (const { suffix, types } of MEMBER_SUFFIXES) {
      if (!sampleName.endsWith(suffix)) continue;
      const parent = state.families.get(sampleName.slice(0, -suffix.length));
      if (parent !== undefined && types.has(parent.type)) return parent;
    }
  }
  return familyFor(state, sampleName);
}

function checkMember(family: MetricFamily, sampleName: string, labels: Readonly<Record<string, string>>): void {
  if (family.type === 'histogram') {
    if (sampleName === family.name) {
      throw new LineError(`sample ${sampleName} of histogram ${family.name} must be named ${family.name}_bucket, _sum or _count`);
    }
    if (sampleName === `${family.name}_bucket`) {
      const le = labels['le'];
      if (le === undefined) throw new LineError(`bucket ${sampleName}${formatLabels(labels)} has no le label`);
      if (Number.isNaN(parsePrometheusFloat(le))) throw new LineError(`bucket ${sampleName}: le=${quote(le)} is not a number`);
    }
  }
  if (family.type === 'summary' && sampleName === family.name) {
    const quantile = labels['quantile'];
    if (quantile === undefined) throw new LineError(`summary sample ${sampleName}${formatLabels(labels)} has no quantile label`);
    if (Number.isNaN(parsePrometheusFloat(quantile)))
      throw new LineError(`summary ${sampleName}: quantile=${quote(quantile)} is not a number`);
  }
}

function formatLabels(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
}

function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}
