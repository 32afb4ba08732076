import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLabWithPprof, type LabWithPprof } from '../support/diagnostics-fixtures.js';

const waitFor = async (condition: () => boolean, timeoutMs: number) => {
  const deadline = performance.now() + timeoutMs;
  while (!condition() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return condition();
};

describe('a client that disconnects mid-capture', () => {
  let lab: LabWithPprof;
  beforeAll(async () => {
    lab = await startLabWithPprof();
  });
  afterAll(() => lab.stop());

  it.each([
    ['cpu', '/debug/pprof/profile?seconds=60'],
    ['trace', '/debug/pprof/trace?seconds=60'],
    ['heap', '/debug/pprof/heap?seconds=60'],
  ])('cancels a %s capture and frees the profiler for the next one', async (kind, path) => {
    const controller = new AbortController();
    const abandoned = fetch(`${lab.pprofUrl}${path}`, { signal: controller.signal }).catch((error: Error) => error);
    expect(
      await waitFor(
        () => lab.logLines.some((l) => l.includes('"capture_started"') && l.includes(`"kind":"${kind}"`) && l.includes('"seconds":60')),
        5_000,
      ),
    ).toBe(true);
    controller.abort();
    expect(await abandoned).toBeInstanceOf(Error);
    expect(await waitFor(() => lab.logLines.some((l) => l.includes('"capture_cancelled"') && l.includes(`"kind":"${kind}"`)), 5_000)).toBe(
      true,
    );

    // Promptly: the abandoned 60 s window does not hold the profiler.
    const startedMs = performance.now();
    const next = await fetch(`${lab.pprofUrl}/debug/pprof/profile?seconds=0.2`);
    expect(next.status).toBe(200);
    await next.arrayBuffer();
    expect(performance.now() - startedMs).toBeLessThan(5_000);
  });
});
