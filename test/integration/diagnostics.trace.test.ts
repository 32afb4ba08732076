import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureDuringLoad, startLabWithPprof, type LabWithPprof } from '../support/diagnostics-fixtures.js';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  cat?: string;
  args?: Record<string, unknown>;
}

describe('GET /debug/pprof/trace', () => {
  let lab: LabWithPprof;
  beforeAll(async () => {
    lab = await startLabWithPprof();
  });
  afterAll(() => lab.stop());

  it('returns trace-event JSON whose events fall in the capture window, with a JS CPU samples track', async () => {
    const { response } = await captureDuringLoad(lab, '/debug/pprof/trace?seconds=1', { durationMs: 900, maxRequests: 1_500 });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="metric-lab-trace-\d{8}T\d{6}Z-1s\.json"$/);

    const trace = (await response.json()) as { traceEvents: TraceEvent[] };
    const timed = trace.traceEvents.filter((e) => e.ph !== 'M');
    expect(timed.length).toBeGreaterThan(10);
    // The window's span on the trace clock (µs): the profiler start marks it; nothing lies far outside.
    const samples = timed.filter((e) => e.cat === 'metric-lab.cpu_samples');
    const traceEvents = timed.filter((e) => e.cat !== 'metric-lab.cpu_samples');
    expect(traceEvents.length).toBeGreaterThan(0);
    expect(samples.length).toBeGreaterThan(0);
    const windowStartUs = Math.min(...timed.map((e) => e.ts));
    const windowEndUs = Math.max(...timed.map((e) => e.ts + (e.dur ?? 0)));
    expect(windowEndUs - windowStartUs).toBeGreaterThan(800_000);
    expect(windowEndUs - windowStartUs).toBeLessThan(3_000_000);
    // Trace events and CPU samples share one clock: both sets overlap the same window.
    const samplesStartUs = Math.min(...samples.map((e) => e.ts));
    expect(Math.abs(samplesStartUs - Math.min(...traceEvents.map((e) => e.ts)))).toBeLessThan(500_000);

    const loopSlices = samples.filter((e) => e.name === 'simulateLoop' && e.ph === 'X');
    expect(loopSlices.length).toBeGreaterThan(0);
    expect(loopSlices.every((e) => (e.dur ?? -1) >= 0)).toBe(true);
    const track = trace.traceEvents.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.tid === samples[0]?.tid);
    expect(track?.args?.name).toBe('JS CPU samples (V8 profiler)');
  });

  it('accepts fractional seconds, like Go', async () => {
    const startedMs = performance.now();
    const response = await fetch(`${lab.pprofUrl}/debug/pprof/trace?seconds=0.3`);
    expect(response.status).toBe(200);
    await response.json();
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(300);
  });
});
