import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLabWithPprof, type LabWithPprof } from '../support/diagnostics-fixtures.js';

describe('one capture at a time', () => {
  let lab: LabWithPprof;
  beforeAll(async () => {
    lab = await startLabWithPprof();
  });
  afterAll(() => lab.stop());

  it('answers 409 with Retry-After to a second profile, trace or heap capture while one runs, then frees the profiler', async () => {
    const first = fetch(`${lab.pprofUrl}/debug/pprof/profile?seconds=1.5`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const path of [
      '/debug/pprof/profile?seconds=1',
      '/debug/pprof/trace?seconds=1',
      '/debug/pprof/heap?seconds=1',
      '/debug/pprof/heap?format=heapsnapshot',
    ]) {
      const busy = await fetch(`${lab.pprofUrl}${path}`);
      expect(busy.status, path).toBe(409);
      expect(Number(busy.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const body = (await busy.json()) as { error: string; message: string; running: string };
      expect(body).toMatchObject({ error: 'profiler_busy', running: 'cpu' });
      expect(body.message).toMatch(/^a cpu capture is already running \(started \d+\.\d s ago, ~\d+\.\d s left\)/);
    }
    // Endpoints that are not captures stay available.
    expect((await fetch(`${lab.pprofUrl}/debug/pprof/goroutine`)).status).toBe(200);

    expect((await first).status).toBe(200);
    expect((await fetch(`${lab.pprofUrl}/debug/pprof/trace?seconds=0.2`)).status).toBe(200);
  });
});
