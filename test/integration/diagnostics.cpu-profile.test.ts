import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HOT_WORK_PATH,
  boundedLoad,
  captureDuringLoad,
  decodePprof,
  sampleTypeNames,
  startLabWithPprof,
  valueByFunction,
  type LabWithPprof,
} from '../support/diagnostics-fixtures.js';

describe('GET /debug/pprof/profile on a lab under load', () => {
  let lab: LabWithPprof;
  beforeAll(async () => {
    lab = await startLabWithPprof();
  });
  afterAll(() => lab.stop());

  it('returns gzipped pprof naming the hot loop, while app traffic keeps flowing', async () => {
    const { response, load: loadResult } = await captureDuringLoad(lab, '/debug/pprof/profile?seconds=1.5', {
      durationMs: 1_400,
      maxRequests: 2_000,
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="metric-lab-cpu-\d{8}T\d{6}Z-1\.5s\.pb\.gz"$/);
    const body = new Uint8Array(await response.arrayBuffer());
    expect([body[0], body[1]]).toEqual([0x1f, 0x8b]); // gzip magic

    const profile = decodePprof(body);
    expect(sampleTypeNames(profile)).toEqual(['samples/count', 'cpu/nanoseconds']);
    const cpuByFunction = valueByFunction(profile, 1, false);
    const total = valueByFunction(profile, 1, true);
    const totalNs = [...total.values()].reduce((a, b) => a + b, 0);
    expect(cpuByFunction.get('simulateLoop') ?? 0).toBeGreaterThan(0.3 * totalNs);
    expect(cpuByFunction.has('(idle)')).toBe(false);

    const strings = profile.stringTable.strings;
    const loop = profile.function.find((f) => strings[Number(f.name)] === 'simulateLoop');
    expect(strings[Number(loop?.filename)]).toMatch(/dist\/server\/work\/checksum\.js$/);
    expect(Number(loop?.startLine)).toBeGreaterThan(0);

    expect(loadResult.failed).toBe(0);
    expect(loadResult.ok).toBeGreaterThan(10);
  });

  // The lab is warm now: V8 may have inlined simulateLoop into runLoop, so look for the file.
  it('format=cpuprofile returns V8 .cpuprofile JSON for DevTools and speedscope', async () => {
    const load = boundedLoad(`${lab.appUrl}${HOT_WORK_PATH}`, { durationMs: 1_200, maxRequests: 1_000 });
    const response = await fetch(`${lab.pprofUrl}/debug/pprof/profile?seconds=1&format=cpuprofile`);
    await load;
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/filename="metric-lab-cpu-.*-1s\.cpuprofile"/);
    const profile = (await response.json()) as {
      nodes: { callFrame: { functionName: string; url: string }; hitCount: number }[];
      samples: number[];
      timeDeltas: number[];
      startTime: number;
      endTime: number;
    };
    const busy = profile.nodes.filter((n) => n.callFrame.functionName !== '(idle)');
    const hits = (nodes: typeof busy) => nodes.reduce((sum, n) => sum + n.hitCount, 0);
    expect(hits(busy.filter((n) => n.callFrame.url.endsWith('/server/work/checksum.js')))).toBeGreaterThan(0.3 * hits(busy));
    expect(profile.samples.length).toBe(profile.timeDeltas.length);
    expect(profile.endTime - profile.startTime).toBeGreaterThanOrEqual(900_000);
  });
});
