import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLabWithPprof, type LabWithPprof } from '../support/diagnostics-fixtures.js';

describe('diagnostics parameters out of bounds or unparseable get a 400 with a clear message', () => {
  let lab: LabWithPprof;
  beforeAll(async () => {
    lab = await startLabWithPprof();
  });
  afterAll(() => lab.stop());

  it.each([
    ['/debug/pprof/profile?seconds=abc', 'seconds: expected a number of seconds from 0.1 to 300, got "abc"'],
    ['/debug/pprof/profile?seconds=0', 'seconds: expected a number of seconds from 0.1 to 300, got "0"'],
    ['/debug/pprof/profile?seconds=-1', 'seconds: expected a number of seconds from 0.1 to 300, got "-1"'],
    ['/debug/pprof/profile?seconds=1e3', 'seconds: expected a number of seconds from 0.1 to 300, got "1e3"'],
    ['/debug/pprof/profile?seconds=301', 'seconds: expected a number of seconds from 0.1 to 300, got "301"'],
    ['/debug/pprof/trace?seconds=61', 'seconds: expected a number of seconds from 0.1 to 60, got "61"'],
    ['/debug/pprof/profile?format=svg', 'format: expected one of pprof, cpuprofile, got "svg"'],
    ['/debug/pprof/heap?mode=leaks', 'mode: expected one of inuse, alloc, got "leaks"'],
    ['/debug/pprof/heap?gc=yes', 'gc: expected 0 or 1, got "yes"'],
    [
      '/debug/pprof/trace?categories=v8;rm',
      'categories: expected a comma-separated list of trace categories such as v8,node.perf, got "v8;rm"',
    ],
  ])('%s', async (path, message) => {
    const startedMs = performance.now();
    const response = await fetch(`${lab.pprofUrl}${path}`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; message: string; parameter: string };
    expect(body.error).toBe('invalid_parameter');
    expect(body.message).toBe(message);
    // Rejected up front, before any capture starts.
    expect(performance.now() - startedMs).toBeLessThan(1_000);
  });
});
