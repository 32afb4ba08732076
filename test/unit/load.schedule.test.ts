import { describe, expect, it } from 'vitest';
import {
  createLedger,
  createSchedule,
  dueUntil,
  elapsedMicros,
  intendedTimeMs,
  planTick,
  recordDispatch,
  type OpenSchedule,
} from '../../bench/load/schedule.js';

describe('the open-model schedule', () => {
  it('spaces request k at start + k/rate and fills exactly the window', () => {
    const schedule = createSchedule(1_000, 100, 2);
    expect(schedule.totalRequests).toBe(200);
    expect(schedule.endMs).toBe(3_000);
    expect(intendedTimeMs(schedule, 0)).toBe(1_000);
    expect(intendedTimeMs(schedule, 1)).toBe(1_010);
    expect(intendedTimeMs(schedule, 199)).toBe(2_990);
  });

  it('rounds a fractional count up so a partly covered last interval still gets its request', () => {
    expect(createSchedule(0, 3, 1.5).totalRequests).toBe(5); // at 0, 333, 667, 1000, 1333 ms
    expect(createSchedule(0, 7, 1).totalRequests).toBe(7);
  });

  it('counts a request due exactly on its intended time, and not a microsecond before', () => {
    const schedule = createSchedule(0, 100, 1);
    expect(dueUntil(schedule, -1)).toBe(0);
    expect(dueUntil(schedule, 0)).toBe(1);
    expect(dueUntil(schedule, 9.999)).toBe(1);
    expect(dueUntil(schedule, 10)).toBe(2);
    expect(dueUntil(schedule, 5_000)).toBe(100);
  });

  it('agrees with intendedTimeMs at every boundary, even for rates whose interval is not a float', () => {
    const schedule = createSchedule(123.456, 3_000, 1);
    for (let index = 0; index < schedule.totalRequests; index++) {
      const at = intendedTimeMs(schedule, index);
      expect(dueUntil(schedule, at)).toBe(index + 1);
      expect(dueUntil(schedule, at - 1e-6)).toBe(index);
    }
  });

  it('catches up with everything due in one tick after the generator was late', () => {
    const schedule = createSchedule(0, 1_000, 1);
    expect(planTick(schedule, 10, 25.5)).toEqual({ kind: 'dispatch', from: 10, to: 26 });
    expect(planTick(schedule, 26, 25.9)).toEqual({ kind: 'dispatch', from: 26, to: 26 });
  });

  it('drops what was never dispatched once the window has closed', () => {
    const schedule = createSchedule(0, 100, 1);
    expect(planTick(schedule, 90, 1_000)).toEqual({ kind: 'closed', dropped: 10 });
    expect(planTick(schedule, 100, 1_200)).toEqual({ kind: 'closed', dropped: 0 });
  });
});

describe('lateness accounting', () => {
  it('counts only dispatches later than the threshold, and keeps the worst lag', () => {
    const ledger = createLedger(5);
    recordDispatch(ledger, 100, 100.2);
    recordDispatch(ledger, 110, 115); // exactly at the threshold: on time
    recordDispatch(ledger, 120, 145.5);
    recordDispatch(ledger, 130, 145.6);
    expect(ledger).toEqual({ lateThresholdMs: 5, dispatched: 4, lateSends: 2, maxLagMs: 25.5 });
  });

  it('measures latency in whole microseconds and never records zero', () => {
    expect(elapsedMicros(10, 12.3456)).toBe(2_346);
    expect(elapsedMicros(10, 10)).toBe(1);
  });
});

/**
 * A fake-clock world: the generator follows the schedule (ticking every `tickMs`, optionally
 * stalled), one keep-alive connection carries requests one at a time, and the server answers
 * each in `serviceMs` unless it is inside its stall. Nothing here sleeps.
 */
function simulate(options: {
  schedule: OpenSchedule;
  serviceMs: number;
  serverStall: { fromMs: number; toMs: number };
  generatorStall?: { fromMs: number; toMs: number };
  tickMs: number;
}) {
  const { schedule, serviceMs, serverStall, generatorStall, tickMs } = options;
  const ledger = createLedger(5);
  const sends: { intendedMs: number; dispatchedMs: number }[] = [];
  let next = 0;
  let dropped = 0;
  for (let nowMs = schedule.startMs; ; nowMs += tickMs) {
    if (generatorStall && nowMs > generatorStall.fromMs && nowMs < generatorStall.toMs) continue;
    const step = planTick(schedule, next, nowMs);
    if (step.kind === 'closed') {
      dropped = step.dropped;
      break;
    }
    for (let index = step.from; index < step.to; index++) {
      const intendedMs = intendedTimeMs(schedule, index);
      recordDispatch(ledger, intendedMs, nowMs);
      sends.push({ intendedMs, dispatchedMs: nowMs });
    }
    next = step.to;
    if (next === schedule.totalRequests) break;
  }
  // One connection: a request is written when it was dispatched and the previous one finished.
  let connectionFreeMs = -Infinity;
  const results = sends.map(({ intendedMs, dispatchedMs }) => {
    const writtenMs = Math.max(dispatchedMs, connectionFreeMs);
    let startMs = writtenMs;
    if (startMs >= serverStall.fromMs && startMs < serverStall.toMs) startMs = serverStall.toMs;
    const completedMs = startMs + serviceMs;
    connectionFreeMs = completedMs;
    return {
      intendedMs,
      latencyMs: elapsedMicros(intendedMs, completedMs) / 1000,
      serviceTimeMs: elapsedMicros(writtenMs, completedMs) / 1000,
    };
  });
  return { results, ledger, dropped };
}

describe('latency from the intended send time (coordinated-omission correct)', () => {
  const schedule = createSchedule(0, 100, 1); // one request every 10 ms

  it('reports a 200 ms server stall as ~200, 190, 180 ... ms for every request due during it', () => {
    const { results, ledger, dropped } = simulate({
      schedule,
      serviceMs: 1,
      serverStall: { fromMs: 100, toMs: 300 },
      tickMs: 0.5,
    });
    expect(results).toHaveLength(100);
    expect(ledger.lateSends).toBe(0);
    expect(dropped).toBe(0);
    const hit = results.filter((r) => r.intendedMs >= 100 && r.intendedMs < 300).map((r) => r.latencyMs);
    // 100 ms intended -> served at 300, done 301; each later one queues 1 ms behind the previous.
    expect(hit.slice(0, 5)).toEqual([201, 192, 183, 174, 165]);
    expect(hit).toHaveLength(20);
    // Every request due during the stall waited for it: none looks fast.
    expect(Math.min(...hit)).toBeGreaterThan(10);
    // Before the stall and well after it, latency is the service time.
    expect(results[5]?.latencyMs).toBe(1);
    expect(results[60]?.latencyMs).toBe(1);
  });

  it('while the service time (what a closed-loop tool reports) shows the stall only once', () => {
    const { results } = simulate({ schedule, serviceMs: 1, serverStall: { fromMs: 100, toMs: 300 }, tickMs: 0.5 });
    const slowServiceTimes = results.filter((r) => r.serviceTimeMs > 10);
    expect(slowServiceTimes.map((r) => r.serviceTimeMs)).toEqual([201]);
    const slowLatencies = results.filter((r) => r.latencyMs > 10);
    expect(slowLatencies.length).toBeGreaterThanOrEqual(20);
  });

  it('blames a stalled generator with late sends instead of hiding them', () => {
    const { ledger, results } = simulate({
      schedule,
      serviceMs: 1,
      serverStall: { fromMs: 2_000, toMs: 2_000 },
      generatorStall: { fromMs: 500, toMs: 550 },
      tickMs: 0.5,
    });
    // Requests intended at 510..540 went out at 550 together (the one at 500 left before the stall).
    expect(ledger.lateSends).toBe(4);
    expect(ledger.maxLagMs).toBe(40);
    expect(results.filter((r) => r.latencyMs > 10).map((r) => r.latencyMs)).toEqual([41, 32, 23, 14]);
  });

  it('drops the sends a generator stalled past the end of the window never made', () => {
    const { dropped, results } = simulate({
      schedule,
      serviceMs: 1,
      serverStall: { fromMs: 2_000, toMs: 2_000 },
      generatorStall: { fromMs: 950, toMs: 1_100 },
      tickMs: 0.5,
    });
    expect(dropped).toBe(4); // 950 was sent; 960..990 were not
    expect(results).toHaveLength(96);
  });
});
