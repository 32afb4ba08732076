/**
 * The open model's send schedule (wrk2's constant-throughput model), as pure arithmetic over
 * times in milliseconds. Request k is intended at `startMs + k * 1000 / rateRps`; a request's
 * latency runs from that intended time, not from when it was actually written, so a server (or
 * a full connection pool) that makes requests wait shows up as latency instead of silently
 * lowering the send rate (coordinated omission).
 */

export interface OpenSchedule {
  startMs: number;
  rateRps: number;
  /** Requests intended inside the window `[startMs, endMs)`. */
  totalRequests: number;
  endMs: number;
}

export function createSchedule(startMs: number, rateRps: number, durationSeconds: number): OpenSchedule {
  return {
    startMs,
    rateRps,
    totalRequests: Math.ceil(rateRps * durationSeconds - 1e-9),
    endMs: startMs + durationSeconds * 1000,
  };
}

export function intendedTimeMs(schedule: OpenSchedule, index: number): number {
  return schedule.startMs + (index * 1000) / schedule.rateRps;
}

/**
 * Exclusive upper index of the requests due at `nowMs` (intended time <= now), capped at the
 * window's total. Computed from `intendedTimeMs` itself so the two never disagree on a boundary.
 */
export function dueUntil(schedule: OpenSchedule, nowMs: number): number {
  if (nowMs < schedule.startMs) return 0;
  let until = Math.min(schedule.totalRequests, Math.floor(((nowMs - schedule.startMs) * schedule.rateRps) / 1000) + 1);
  while (until > 0 && intendedTimeMs(schedule, until - 1) > nowMs) until--;
  while (until < schedule.totalRequests && intendedTimeMs(schedule, until) <= nowMs) until++;
  return until;
}

/** What one generator tick should do: dispatch `[from, to)` now, or give up on the rest. */
export type TickPlan =
  | { kind: 'dispatch'; from: number; to: number }
  /** The window has closed: everything from `from` on was never sent. */
  | { kind: 'closed'; dropped: number };

export function planTick(schedule: OpenSchedule, nextIndex: number, nowMs: number): TickPlan {
  if (nowMs >= schedule.endMs) return { kind: 'closed', dropped: schedule.totalRequests - nextIndex };
  return { kind: 'dispatch', from: nextIndex, to: Math.max(nextIndex, dueUntil(schedule, nowMs)) };
}

/** Running totals of how far behind schedule the generator itself dispatched. */
export interface LatenessLedger {
  lateThresholdMs: number;
  dispatched: number;
  lateSends: number;
  maxLagMs: number;
}

export function createLedger(lateThresholdMs: number): LatenessLedger {
  return { lateThresholdMs, dispatched: 0, lateSends: 0, maxLagMs: 0 };
}

/**
 * Records one dispatch. The lag is the generator's own lateness (its timer or event loop), since
 * dispatching is the moment the request leaves the schedule; waiting for a free connection or
 * for the server comes after and is latency, not lateness.
 */
export function recordDispatch(ledger: LatenessLedger, intendedMs: number, dispatchedMs: number): void {
  const lagMs = Math.max(0, dispatchedMs - intendedMs);
  ledger.dispatched++;
  if (lagMs > ledger.lateThresholdMs) ledger.lateSends++;
  if (lagMs > ledger.maxLagMs) ledger.maxLagMs = lagMs;
}

/** Whole microseconds between two millisecond timestamps, at least 1 (HDR histograms need > 0). */
export function elapsedMicros(fromMs: number, toMs: number): number {
  return Math.max(1, Math.round((toMs - fromMs) * 1000));
}

/** When the generator should next wake to send request `nextIndex` on time. */
export function nextWakeMs(schedule: OpenSchedule, nextIndex: number): number {
  return nextIndex < schedule.totalRequests ? intendedTimeMs(schedule, nextIndex) : schedule.endMs;
}
