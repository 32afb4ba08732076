import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFromCompressedBase64 } from 'hdr-histogram-js';
import { runLoad, type LoadProgress } from '../../bench/load/run-load.js';
import type { LoadResult } from '../../bench/load/types.js';
import { startInProcessLab, type RunningLab } from '../support/in-process-lab.js';

// The lab runs in this process; the generator in its own (runLoad forks the worker).
let running: RunningLab;
beforeAll(async () => {
  running = await startInProcessLab();
});
afterAll(() => running.close());

const variants = [
  { name: 'work', path: '/api/work?db_min_ms=5&db_max_ms=6&loop_iterations=1000', weight: 9 },
  { name: 'missing', path: '/no-such-route', weight: 1 },
];

function expectCountsAddUp(result: LoadResult): void {
  expect(result.sent).toBeGreaterThan(0);
  expect(result.completed + result.connectionErrors + result.timeouts).toBe(result.sent);
  expect(Object.values(result.statusCounts).reduce((a, b) => a + b, 0)).toBe(result.completed);
  expect(result.variants.reduce((n, v) => n + v.sent, 0)).toBe(result.sent);
  expect(result.variants.reduce((n, v) => n + v.completed, 0)).toBe(result.completed);
  expect(result.latency.count).toBe(result.completed);
  expect(result.serviceTime.count).toBe(result.completed);
  expect(decodeFromCompressedBase64(result.latencyHistogram).totalCount).toBe(result.completed);
}

function expectLabFacts(result: LoadResult): void {
  const [work, missing] = result.variants;
  // Every 200 of the work variant carried the Go lab's checksum for 1000 iterations.
  expect(work?.checksums).toEqual({ '332854108': work?.completed });
  expect(work?.errors).toBe(0);
  expect(missing?.sent).toBeGreaterThan(0);
  expect(missing?.errors).toBe(missing?.sent);
  expect(missing?.checksums).toEqual({});
  expect(result.statusCounts['404']).toBe(missing?.completed);
  expect(result.errors).toBe(missing?.sent);
  // The DB wait alone is >= 5 ms, and the 404s are only a tenth of the mix.
  expect(result.latency.p50Ms).toBeGreaterThanOrEqual(5);
}

describe('the load generator against the real lab', () => {
  it('open model: sends on schedule, every send accounted for, latency from intended time', async () => {
    const progress: LoadProgress[] = [];
    const result = await runLoad(
      {
        model: 'open',
        baseUrl: running.baseUrl,
        variants,
        rateRps: 150,
        maxConnections: 32,
        durationSeconds: 1.5,
        requestTimeoutMs: 2_000,
        seed: 7,
      },
      { onProgress: (p) => progress.push(p), progressIntervalMs: 250 },
    );
    expect(result.model).toBe('open');
    expect(result.targetRps).toBe(150);
    expect(result.sent).toBe(225);
    expect(result.dropped).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result.achievedRps).toBeGreaterThan(150 * 0.95);
    expectCountsAddUp(result);
    expectLabFacts(result);
    expect(result.latency.p50Ms).toBeGreaterThanOrEqual(result.serviceTime.p50Ms);
    expect(result.generatorCpuSeconds).toBeGreaterThan(0);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)?.sent).toBeLessThanOrEqual(225);
  });

  it('closed model: N connections back to back, every send accounted for', async () => {
    const result = await runLoad({
      model: 'closed',
      baseUrl: running.baseUrl,
      variants,
      connections: 4,
      durationSeconds: 1,
      requestTimeoutMs: 2_000,
      seed: 7,
    });
    expect(result.model).toBe('closed');
    expect(result.targetRps).toBeNull();
    expect(result.lateSends).toBe(0);
    expect(result.dropped).toBe(0);
    // 4 connections, each request >= 5 ms: at most ~800 in a second.
    expect(result.sent).toBeGreaterThan(40);
    expect(result.sent).toBeLessThanOrEqual(4 * 210);
    expect(result.achievedRps).toBeCloseTo(result.completed / result.durationSeconds, 6);
    expectCountsAddUp(result);
    expectLabFacts(result);
  });

  it('counts refused connections as connection errors, not responses', async () => {
    const closedPort = new URL(running.baseUrl);
    closedPort.port = '1'; // nothing listens on port 1
    const result = await runLoad({
      model: 'open',
      baseUrl: closedPort.origin,
      variants,
      rateRps: 50,
      maxConnections: 4,
      durationSeconds: 0.5,
      requestTimeoutMs: 1_000,
      seed: 1,
    });
    expect(result.sent).toBe(25);
    expect(result.completed).toBe(0);
    expect(result.connectionErrors).toBe(25);
    expect(result.errors).toBe(25);
    expect(result.latency.count).toBe(0);
  });

  it('closed model: a refused connection is retried after a pause, not in a hot loop', async () => {
    const closedPort = new URL(running.baseUrl);
    closedPort.port = '1';
    const result = await runLoad({
      model: 'closed',
      baseUrl: closedPort.origin,
      variants,
      connections: 2,
      durationSeconds: 0.5,
      requestTimeoutMs: 1_000,
      seed: 1,
    });
    expect(result.connectionErrors).toBeGreaterThan(2);
    // Each connection waits 10 ms after a failure: at most ~50 attempts each in 0.5 s.
    expect(result.connectionErrors).toBeLessThanOrEqual(2 * 52);
    expect(result.sent).toBe(result.connectionErrors);
  });

  it('aborts requests that outlive the timeout and counts them as timeouts', async () => {
    const result = await runLoad({
      model: 'open',
      baseUrl: running.baseUrl,
      variants: [{ name: 'slow-db', path: '/api/work?db_min_ms=1000&db_max_ms=1001&loop_iterations=0', weight: 1 }],
      rateRps: 20,
      maxConnections: 16,
      durationSeconds: 0.5,
      requestTimeoutMs: 200,
      seed: 1,
    });
    expect(result.sent).toBe(10);
    expect(result.timeouts).toBe(10);
    expect(result.completed).toBe(0);
    expect(result.errors).toBe(10);
  });
});
