import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  boundedLoad,
  decodePprof,
  sampleTypeNames,
  startLabWithPprof,
  valueByFunction,
  type LabWithPprof,
} from '../support/diagnostics-fixtures.js';

const PAYLOAD_WORK = '/api/work?loop_iterations=1000&db_min_ms=0&db_max_ms=1&payload_items=200&payload_item_bytes=1024';

describe('GET /debug/pprof/heap', () => {
  let lab: LabWithPprof;
  beforeAll(async () => {
    lab = await startLabWithPprof();
  });
  afterAll(() => lab.stop());

  it('mode=alloc samples the window allocations as pprof, naming the payload builder', async () => {
    const load = boundedLoad(`${lab.appUrl}${PAYLOAD_WORK}`, { durationMs: 1_500, maxRequests: 1_500 });
    const response = await fetch(`${lab.pprofUrl}/debug/pprof/heap?seconds=1&mode=alloc`);
    await load;
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/filename="metric-lab-heap-.*-1s-alloc\.pb\.gz"/);
    const profile = decodePprof(new Uint8Array(await response.arrayBuffer()));
    expect(sampleTypeNames(profile)).toEqual(['alloc_samples/count', 'alloc_space/bytes']);
    const bytesByFunction = valueByFunction(profile, 1, false);
    expect(bytesByFunction.get('buildPayload') ?? 0).toBeGreaterThan(0);
  });

  it('mode=inuse (the default) with gc=1 returns a decodable in-use profile', async () => {
    const response = await fetch(`${lab.pprofUrl}/debug/pprof/heap?seconds=0.3&gc=1`);
    expect(response.status).toBe(200);
    const profile = decodePprof(new Uint8Array(await response.arrayBuffer()));
    expect(sampleTypeNames(profile)).toEqual(['inuse_samples/count', 'inuse_space/bytes']);
    expect(profile.stringTable.strings[Number(profile.defaultSampleType)]).toBe('inuse_space');
  });

  it('format=heapsnapshot streams a V8 heap snapshot that parses', async () => {
    const response = await fetch(`${lab.pprofUrl}/debug/pprof/heap?format=heapsnapshot`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/filename="metric-lab-heap-\d{8}T\d{6}Z\.heapsnapshot"/);
    const snapshot = (await response.json()) as { snapshot: { meta: { node_fields: string[] }; node_count: number }; strings: string[] };
    expect(snapshot.snapshot.meta.node_fields).toContain('self_size');
    expect(snapshot.snapshot.node_count).toBeGreaterThan(1000);
  });
});
