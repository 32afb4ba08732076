import { describe, expect, it } from 'vitest';
import { ProfilerLock, formatBusy } from '../../server/diagnostics/profiler-lock.js';

describe('ProfilerLock', () => {
  it('lets one capture in and tells the next who holds it and for how long', () => {
    let nowMs = 1_000;
    const lock = new ProfilerLock(() => nowMs);
    const first = lock.tryAcquire('cpu', 30_000);
    expect(first.status).toBe('acquired');
    nowMs += 4_000;
    const second = lock.tryAcquire('trace', 1_000);
    expect(second).toEqual({ status: 'busy', busy: { kind: 'cpu', runningMs: 4_000, remainingMs: 26_000 } });
    if (second.status === 'busy') {
      expect(formatBusy(second.busy)).toBe(
        'a cpu capture is already running (started 4.0 s ago, ~26.0 s left); one capture at a time: retry when it finishes',
      );
    }
  });

  it('is free again after release, and a stale lease cannot release a newer holder', () => {
    const lock = new ProfilerLock(() => 0);
    const first = lock.tryAcquire('heap', 1_000);
    if (first.status !== 'acquired') throw new Error('expected the lock');
    first.lease.release();
    expect(lock.busy).toBe(false);
    const second = lock.tryAcquire('cpu', 1_000);
    first.lease.release();
    expect(lock.busy).toBe(true);
    if (second.status === 'acquired') second.lease.release();
    expect(lock.busy).toBe(false);
  });

  it('never reports negative time left once a capture overruns its window', () => {
    let nowMs = 0;
    const lock = new ProfilerLock(() => nowMs);
    lock.tryAcquire('cpu', 1_000);
    nowMs = 5_000;
    const busy = lock.tryAcquire('cpu', 1_000);
    expect(busy.status === 'busy' && busy.busy.remainingMs).toBe(0);
  });
});
