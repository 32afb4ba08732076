import { CAPTURE_SECONDS, DEFAULT_TRACE_CATEGORIES, type SecondsBounds } from './limits.js';

/** A query parameter the diagnostics server could not accept; becomes a 400 JSON body. */
export interface ParamError {
  parameter: string;
  expected: string;
  received: string;
}

export type ParamResult<T> = { ok: true; value: T } | { ok: false; error: ParamError };

export function formatParamError(error: ParamError): string {
  return `${error.parameter}: expected ${error.expected}, got ${JSON.stringify(error.received)}`;
}

export const CPU_FORMATS = ['pprof', 'cpuprofile'] as const;
export const HEAP_FORMATS = ['pprof', 'heapsnapshot'] as const;
/** `inuse`: sampled allocations still live at the end (Go's inuse_space); `alloc`: all of them. */
export const HEAP_MODES = ['inuse', 'alloc'] as const;
export const GOROUTINE_FORMATS = ['text', 'json'] as const;

export interface ProfileRequest {
  seconds: number;
  format: (typeof CPU_FORMATS)[number];
}

export interface HeapRequest {
  seconds: number;
  format: (typeof HEAP_FORMATS)[number];
  mode: (typeof HEAP_MODES)[number];
  /** Collect garbage before reading the profile, so `inuse` drops objects already dead. */
  gc: boolean;
}

export interface TraceRequest {
  seconds: number;
  categories: string[];
}

export interface GoroutineRequest {
  format: (typeof GOROUTINE_FORMATS)[number];
}

type Query = Pick<URLSearchParams, 'get' | 'getAll' | 'keys'>;

/**
 * A parameter given twice is refused whatever its values: taking the first (as `get` does) made
 * `seconds=1&seconds=abc` start a capture while `seconds=abc&seconds=1` was a 400.
 */
function singleValued<T>(query: Query, parse: () => ParamResult<T>): ParamResult<T> {
  for (const name of new Set(query.keys())) {
    const values = query.getAll(name);
    if (values.length > 1) return { ok: false, error: { parameter: name, expected: 'a single value', received: values.join('&') } };
  }
  return parse();
}

export function parseProfileRequest(query: Query): ParamResult<ProfileRequest> {
  return singleValued(query, () =>
    combine({
      seconds: parseSeconds(query.get('seconds'), CAPTURE_SECONDS.profile),
      format: parseChoice('format', query.get('format'), CPU_FORMATS),
    }),
  );
}

export function parseHeapRequest(query: Query): ParamResult<HeapRequest> {
  return singleValued(query, () =>
    combine({
      seconds: parseSeconds(query.get('seconds'), CAPTURE_SECONDS.heap),
      format: parseChoice('format', query.get('format'), HEAP_FORMATS),
      mode: parseChoice('mode', query.get('mode'), HEAP_MODES),
      gc: parseFlag('gc', query.get('gc')),
    }),
  );
}

export function parseTraceRequest(query: Query): ParamResult<TraceRequest> {
  return singleValued(query, () =>
    combine({
      seconds: parseSeconds(query.get('seconds'), CAPTURE_SECONDS.trace),
      categories: parseCategories(query.get('categories')),
    }),
  );
}

export function parseGoroutineRequest(query: Query): ParamResult<GoroutineRequest> {
  return singleValued(query, () => {
    // Go's `debug=1|2` asks for text; accept it so Go habits work.
    const format = query.get('debug') !== null && query.get('format') === null ? 'text' : query.get('format');
    return combine({ format: parseChoice('format', format, GOROUTINE_FORMATS) });
  });
}

const DECIMAL = /^\d+(\.\d+)?$/;

/** A duration in seconds: plain decimal only (no `1e3`, `Infinity` or `0x10`), within bounds. */
export function parseSeconds(raw: string | null, bounds: SecondsBounds): ParamResult<number> {
  if (raw === null || raw === '') return { ok: true, value: bounds.defaultSeconds };
  const value = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= bounds.minSeconds && value <= bounds.maxSeconds)) {
    return {
      ok: false,
      error: { parameter: 'seconds', expected: `a number of seconds from ${bounds.minSeconds} to ${bounds.maxSeconds}`, received: raw },
    };
  }
  return { ok: true, value };
}

export function parseChoice<T extends string>(parameter: string, raw: string | null, allowed: readonly [T, ...T[]]): ParamResult<T> {
  if (raw === null || raw === '') return { ok: true, value: allowed[0] };
  if ((allowed as readonly string[]).includes(raw)) return { ok: true, value: raw as T };
  return { ok: false, error: { parameter, expected: `one of ${allowed.join(', ')}`, received: raw } };
}

/** Go's convention: `gc=1` on, `gc=0` or absent off. */
export function parseFlag(parameter: string, raw: string | null): ParamResult<boolean> {
  if (raw === null || raw === '' || raw === '0' || raw === 'false') return { ok: true, value: false };
  if (raw === '1' || raw === 'true') return { ok: true, value: true };
  return { ok: false, error: { parameter, expected: '0 or 1', received: raw } };
}

const CATEGORY = /^[\w.-]+$/;

export function parseCategories(raw: string | null): ParamResult<string[]> {
  if (raw === null || raw === '') return { ok: true, value: [...DEFAULT_TRACE_CATEGORIES] };
  const categories = raw.split(',').map((c) => c.trim());
  if (categories.some((c) => !CATEGORY.test(c))) {
    return {
      ok: false,
      error: { parameter: 'categories', expected: 'a comma-separated list of trace categories such as v8,node.perf', received: raw },
    };
  }
  return { ok: true, value: categories };
}

type Results<T> = { [K in keyof T]: ParamResult<T[K]> };

/** The first error in declaration order, or every value. */
function combine<T extends object>(results: Results<T>): ParamResult<T> {
  const value: Partial<T> = {};
  for (const key of Object.keys(results) as (keyof T)[]) {
    const result = results[key];
    if (!result.ok) return result;
    value[key] = result.value;
  }
  return { ok: true, value: value as T };
}
