import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactSectionDeltas, hdrSnapshotSchema } from '../../bench/results/section-hdr.js';
import { startLabWithPprof, type LabWithPprof } from '../support/diagnostics-fixtures.js';

const read = async (lab: LabWithPprof) => hdrSnapshotSchema.parse(await (await fetch(`${lab.pprofUrl}/debug/snapshot?format=hdr`)).json());

describe('the HDR form of /debug/snapshot', () => {
  let lab: LabWithPprof;
  beforeAll(async () => {
    lab = await startLabWithPprof();
  });
  afterAll(() => lab.stop());

  it('gives exactly what happened between two reads, per section, at microsecond resolution', async () => {
    await fetch(`${lab.appUrl}/api/work?db_min_ms=0&db_max_ms=1&loop_iterations=1000`).then((r) => r.arrayBuffer());
    const before = await read(lab);
    // Five requests, each with a DB wait of 20-21 ms: the delta must hold those five and nothing else.
    for (let i = 0; i < 5; i++)
      await fetch(`${lab.appUrl}/api/work?db_min_ms=20&db_max_ms=21&loop_iterations=1000`).then((r) => r.arrayBuffer());
    const after = await read(lab);
    const delta = exactSectionDeltas(before, after);
    expect(delta.db_query?.count).toBe(5);
    // libuv fires timers against the loop's cached millisecond clock, so a 20 ms wait can
    // measure 19.8 ms on the monotonic clock (seen in CI): 19 ms still rules out the 0-1 ms request.
    expect(delta.db_query?.p50Ms).toBeGreaterThanOrEqual(19);
    expect(delta.db_query?.p99Ms).toBeLessThan(40);
    expect(delta.loop?.count).toBe(5);
    expect(after.sections.db_query?.count).toBe((before.sections.db_query?.count ?? 0) + 5);
  });

  it('keeps the text and JSON forms, and names the formats on a bad or repeated one', async () => {
    expect((await fetch(`${lab.pprofUrl}/debug/snapshot`)).headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await (await fetch(`${lab.pprofUrl}/debug/snapshot?format=json`)).json()).toMatchObject({ source: 'in-memory' });
    for (const bad of ['format=xml', 'format=hdr&format=json']) {
      const response = await fetch(`${lab.pprofUrl}/debug/snapshot?${bad}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toMatch(/^format: expected one of text, json, hdr, got /);
    }
  });
});
