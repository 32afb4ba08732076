import { afterEach, describe, expect, it } from 'vitest';
import { startInProcessLab, type RunningLab } from '../support/in-process-lab.js';

/**
 * The hot loop blocks the event loop, so a bound on the number of requests does not bound how long
 * /healthz waits: 16 requests of 100M iterations are few, but seconds of loop. The lab bounds the
 * loop work in flight instead, a BigInt iteration weighing 28 default ones.
 */
describe('/api/work beyond the loop work in flight', () => {
  let lab: RunningLab | null = null;
  afterEach(async () => {
    await lab?.close();
    lab = null;
  });

  it('is shed with 503 by iterations, a BigInt one counting 28, while lighter work still runs', async () => {
    lab = await startInProcessLab({ limits: { maxLoopIterationsInFlight: 20_000_000 } });
    const work = (query: string) => fetch(`${lab?.baseUrl}/api/work?${query}`);
    // Holds 1M iterations for 300 ms (the DB wait comes before the loop).
    const holding = work('db_min_ms=300&db_max_ms=301&loop_iterations=1000000');
    await new Promise((resolve) => setTimeout(resolve, 50));

    // 1M BigInt iterations weigh 28M: over the 20M budget with 1M already in flight.
    const bigint = await work('db_min_ms=0&db_max_ms=1&loop_impl=bigint&loop_iterations=1000000');
    expect(bigint.status).toBe(503);
    expect(bigint.headers.get('retry-after')).toBe('1');
    expect(await bigint.json()).toEqual({
      error: 'overloaded',
      message: 'shedding load: 1000000 loop iterations in flight (--max-loop-iterations-in-flight 20000000); retry later',
    });
    // The same count of default iterations fits.
    expect((await work('db_min_ms=0&db_max_ms=1&loop_iterations=1000000')).status).toBe(200);
    expect((await holding).status).toBe(200);
  });

  it('always admits one request alone, even one over the budget', async () => {
    lab = await startInProcessLab({ limits: { maxLoopIterationsInFlight: 10 } });
    expect((await fetch(`${lab.baseUrl}/api/work?db_min_ms=0&db_max_ms=1&loop_iterations=1000`)).status).toBe(200);
  });
});
