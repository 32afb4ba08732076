import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawDbWaitMs } from '../../server/work/db.js';
import { seededRandom } from '../../server/work/rng.js';
import { startInProcessLab, type RunningLab } from '../support/in-process-lab.js';

let running: RunningLab;
beforeAll(async () => {
  running = await startInProcessLab();
});
afterAll(() => running.close());

const work = async (query = '') => {
  const response = await fetch(`${running.baseUrl}/api/work${query}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return response.text();
};

describe('/api/work answers exactly as the Go lab does', () => {
  it('with Go defaults: keys in Go order, checksum 333328356151216 as a bare integer, DB wait in [50, 200) ms', async () => {
    const text = await work();
    const body = JSON.parse(text) as Record<string, unknown> & { timings_ms: { db_query_ms: number; loop_ms: number; total_ms: number } };
    expect(Object.keys(body)).toEqual(['message', 'timings_ms', 'loop_iterations', 'loop_checksum', 'observability_tips', 'timestamp']);
    expect(Object.keys(body.timings_ms)).toEqual(['db_query_ms', 'loop_ms', 'total_ms']);
    expect(Object.keys(body.observability_tips as object)).toEqual(['flamegraph', 'histogram', 'loop_debug', 'slow_db']);
    expect(text).toContain('"loop_iterations":100000,"loop_checksum":333328356151216,');
    expect(body.message).toBe('Synthetic workload completed; inspect Prometheus, pprof, and trace outputs for deeper insights.');
    // Timers fire at or after their deadline, never before (allow 1 ms for timer granularity).
    expect(body.timings_ms.db_query_ms).toBeGreaterThanOrEqual(49);
    expect(body.timings_ms.total_ms).toBeGreaterThanOrEqual(body.timings_ms.db_query_ms + body.timings_ms.loop_ms);
    expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/);
    expect(Math.abs(Date.parse(body.timestamp as string) - Date.now())).toBeLessThan(5_000);
  });

  it('writes checksums above 2^53 exactly (JSON.parse would round them)', async () => {
    const text = await work('?db_min_ms=0&db_max_ms=0&loop_iterations=5000000');
    expect(text).toContain('"loop_checksum":4773166026647465696,');
  });

  it('adds a deterministic payload and its digest only when asked', async () => {
    const a = JSON.parse(await work('?db_min_ms=0&db_max_ms=0&loop_iterations=0&payload_items=3&payload_item_bytes=32')) as {
      timings_ms: Record<string, number>;
      payload_items: number;
      payload_digest: string;
      payload: Array<{ id: number; label: string; data: string }>;
    };
    expect(Object.keys(a.timings_ms)).toEqual(['db_query_ms', 'loop_ms', 'payload_build_ms', 'total_ms']);
    expect(a.payload_items).toBe(3);
    expect(a.payload).toHaveLength(3);
    expect(a.payload[2]).toMatchObject({ id: 2, label: 'item-2' });
    expect(a.payload[2]?.data).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(a.payload_digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const b = JSON.parse(await work('?db_min_ms=0&db_max_ms=0&loop_iterations=0&payload_items=3&payload_item_bytes=32')) as {
      payload_digest: string;
    };
    expect(b.payload_digest).toBe(a.payload_digest);
  });

  it('draws the DB wait from a per-request seed', async () => {
    const expectedMs = drawDbWaitMs({ dbMinMs: 0, dbMaxMs: 200, dbSpikeProbability: 0, dbSpikeMs: 0 }, seededRandom(7));
    const text = await work('?db_min_ms=0&db_max_ms=200&loop_iterations=0&seed=7');
    const measuredMs = (JSON.parse(text) as { timings_ms: { db_query_ms: number } }).timings_ms.db_query_ms;
    // A timer never fires early (1 ms granularity), and an idle loop fires it within a few ms.
    expect(measuredMs).toBeGreaterThanOrEqual(Math.floor(expectedMs) - 1);
    expect(measuredMs).toBeLessThan(expectedMs + 20);
  });

  it('answers /healthz like Go', async () => {
    const response = await fetch(`${running.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('{"status":"ok"}');
  });
});
