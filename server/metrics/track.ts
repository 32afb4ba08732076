import type { Logger } from 'pino';

/** Stops a section timer and returns its duration; also usable with `using`. */
export interface SectionStop {
  (): number;
  [Symbol.dispose](): void;
}

export type Track = (section: string) => SectionStop;

/** Where finished sections go: the Prometheus histogram and the in-memory stats. */
export type SectionObserver = (section: string, durationMs: number) => void;

/**
 * Go's `metrics.Track`: `const stop = track('db_query'); …; stop()`, or
 * `using _ = track('db_query')`. Stopping twice records once. Start and end log lines are at
 * debug level, checked once per call, so a production-level logger pays nothing for them.
 * `nowMs` is the clock (a benchmark that counts instructions needs durations that do not vary).
 */
export function createTracker(observe: SectionObserver, logger: Logger, nowMs: () => number = () => performance.now()): Track {
  return (section) => {
    const logged = logger.isLevelEnabled('debug');
    if (logged) logger.debug({ section, phase: 'start' }, 'metrics.track');
    const startMs = nowMs();
    let durationMs = -1;
    const stop = (() => {
      if (durationMs >= 0) return durationMs;
      durationMs = nowMs() - startMs;
      observe(section, durationMs);
      if (logged) logger.debug({ section, duration_ms: Math.trunc(durationMs * 1000) / 1000 }, 'metrics.track');
      return durationMs;
    }) as SectionStop;
    stop[Symbol.dispose] = stop;
    return stop;
  };
}
