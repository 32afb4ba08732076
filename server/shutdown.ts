import type { ManagedServer } from './http-server.js';

export interface ShutdownOutcome {
  /** `forced`: some requests were still running when the grace period ran out. */
  outcome: 'graceful' | 'forced';
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
  const deadline = new Promise<'forced'>((resolve) => {
    timer = setTimeout(() => resolve('forced'), gracePeriodMs);
  });
  const drained = Promise.all(servers.map((s) => s.drain())).then(() => 'graceful' as const);
  const outcome = await Promise.race([drained, deadline, forceNow.then(() => 'forced' as const)]);
  clearTimeout(timer);
  if (outcome === 'forced') {
    for (const s of servers) s.forceClose();
    await drained;
  }
  return { outcome, inFlightAtStart, durationMs: performance.now() - startMs };
}
