import { describe, expect, it } from 'vitest';
import { CAPTURE_SECONDS } from '../../server/diagnostics/limits.js';
import {
  formatParamError,
  parseGoroutineRequest,
  parseHeapRequest,
  parseProfileRequest,
  parseSeconds,
  parseTraceRequest,
} from '../../server/diagnostics/params.js';

const q = (query: string) => new URLSearchParams(query);

describe('diagnostics query parameters', () => {
  it('default like Go: profile 30 s as pprof, trace 1 s', () => {
    expect(parseProfileRequest(q(''))).toEqual({ ok: true, value: { seconds: 30, format: 'pprof' } });
    expect(parseTraceRequest(q(''))).toEqual({
      ok: true,
      value: { seconds: 1, categories: ['v8', 'node.perf', 'node.http', 'node.environment'] },
    });
    expect(parseHeapRequest(q(''))).toEqual({ ok: true, value: { seconds: 10, format: 'pprof', mode: 'inuse', gc: false } });
    expect(parseGoroutineRequest(q(''))).toEqual({ ok: true, value: { format: 'text' } });
  });

  it('accepts decimal seconds within bounds, including both ends', () => {
    expect(parseSeconds('2.5', CAPTURE_SECONDS.trace)).toEqual({ ok: true, value: 2.5 });
    expect(parseSeconds('0.1', CAPTURE_SECONDS.trace)).toEqual({ ok: true, value: 0.1 });
    expect(parseSeconds('60', CAPTURE_SECONDS.trace)).toEqual({ ok: true, value: 60 });
  });

  it.each(['0', '0.09', '60.5', '-1', '1e1', 'Infinity', '0x10', ' 5', '5s', 'NaN'])('rejects seconds=%j for a trace', (raw) => {
    const result = parseSeconds(raw, CAPTURE_SECONDS.trace);
    expect(result).toEqual({ ok: false, error: { parameter: 'seconds', expected: 'a number of seconds from 0.1 to 60', received: raw } });
  });

  it('names the parameter, the expectation and what came in one line', () => {
    const result = parseHeapRequest(q('seconds=2&mode=leak'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(formatParamError(result.error)).toBe('mode: expected one of inuse, alloc, got "leak"');
  });

  it('reads gc=1 and Go-style goroutine?debug=1', () => {
    expect(parseHeapRequest(q('gc=1&mode=alloc&seconds=3'))).toEqual({
      ok: true,
      value: { seconds: 3, format: 'pprof', mode: 'alloc', gc: true },
    });
    expect(parseGoroutineRequest(q('debug=2'))).toEqual({ ok: true, value: { format: 'text' } });
    expect(parseGoroutineRequest(q('format=json'))).toEqual({ ok: true, value: { format: 'json' } });
  });

  it('takes trace categories as a checked comma list', () => {
    expect(parseTraceRequest(q('categories=v8, node.fs.sync'))).toEqual({
      ok: true,
      value: { seconds: 1, categories: ['v8', 'node.fs.sync'] },
    });
    expect(parseTraceRequest(q('categories=v8,,node')).ok).toBe(false);
  });
});

describe('a parameter given twice', () => {
  it('is refused alike whichever value comes first', () => {
    const refused = { ok: false, error: { parameter: 'seconds', expected: 'a single value', received: '1&abc' } };
    expect(parseProfileRequest(new URLSearchParams('seconds=1&seconds=abc'))).toEqual(refused);
    expect(parseProfileRequest(new URLSearchParams('seconds=abc&seconds=1'))).toMatchObject({ ok: false, error: { parameter: 'seconds' } });
    expect(parseHeapRequest(new URLSearchParams('gc=1&gc=1'))).toMatchObject({
      ok: false,
      error: { parameter: 'gc', expected: 'a single value' },
    });
    expect(parseTraceRequest(new URLSearchParams('seconds=1&categories=v8&categories=node'))).toMatchObject({ ok: false });
    expect(parseGoroutineRequest(new URLSearchParams('format=text&format=json'))).toMatchObject({ ok: false });
  });
});
