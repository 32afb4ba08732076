import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../bench/load/run-load.js';

/**
 * A tiny server that blocks its event loop for 300 ms once, on its 50th request. The generator
 * runs in its own process (runLoad), so only the server stalls.
 */
const STALL_MS = 300;
let server: http.Server;
let baseUrl: string;
beforeAll(async () => {
  let requests = 0;
  server = http.createServer((_req, res) => {
    if (++requests === 50) {
      const until = performance.now() + STALL_MS;
      while (performance.now() < until) {
        // busy: nothing else on this loop runs, as in a long synchronous handler
      }
    }
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('a server stall under the open model', () => {
  it('shows in latency from the intended send time and hides in the service time', async () => {
    // 100 req/s over 2 s on one connection: ~30 requests fall due during the 300 ms stall.
    const result = await runLoad({
      model: 'open',
      baseUrl,
      variants: [{ name: 'ok', path: '/', weight: 1 }],
      rateRps: 100,
      maxConnections: 1,
      durationSeconds: 2,
      requestTimeoutMs: 2_000,
      seed: 1,
    });
    expect(result.completed).toBe(200);
    // The requests that waited behind the stall are ~15% of all: they own the tail.
    expect(result.latency.maxMs).toBeGreaterThanOrEqual(STALL_MS * 0.9);
    expect(result.latency.p95Ms).toBeGreaterThanOrEqual(150);
    expect(result.latency.p90Ms).toBeGreaterThanOrEqual(50);
    // Timed from when each request was actually written, only the one caught in the stall is slow.
    expect(result.serviceTime.maxMs).toBeGreaterThanOrEqual(STALL_MS * 0.9);
    expect(result.serviceTime.p95Ms).toBeLessThan(50);
  });
});
