import type { ManagedServer } from './http-server.js';

export interface ShutdownOutcome {
  /** `forced`: some requests were still running when the grace period ran out, or a second signal came. */
  outcome: 'graceful' | 'forced';
  /** What forced it: the grace period's deadline, or a second signal; null when graceful. */
  forcedBy: 'deadline' | 'second-signal' | null;
  inFlightAtStart: number;
  durationMs: number;
}

/**
 * Go's `srv.Shutdown(ctx)` with a deadline: stop accepting, let in-flight requests finish, and
 * cut whatever is left when `gracePeriodMs` runs out (or when `forceNow` resolves, e.g. on a
 * second Ctrl+C).
 */
export async function shutdownServers(
  servers: readonly ManagedServer[],
  gracePeriodMs: number,
  forceNow: Promise<void> = new Promise(() => {}),
): Promise<ShutdownOutcome> {
  const startMs = performance.now();
  const inFlightAtStart = servers.reduce((sum, s) => sum + s.inFlightRequests, 0);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, gracePeriodMs);
  });
  const drained = Promise.all(servers.map((s) => s.drain())).then(() => 'graceful' as const);
  const ended = await Promise.race([drained, deadline.then(() => 'deadline' as const), forceNow.then(() => 'second-signal' as const)]);
  clearTimeout(timer);
  if (ended !== 'graceful') {
    for (const s of servers) s.forceClose();
    await drained;
  }
  const forcedBy = ended === 'graceful' ? null : ended;
  return { outcome: forcedBy ? 'forced' : 'graceful', forcedBy, inFlightAtStart, durationMs: performance.now() - startMs };
}
