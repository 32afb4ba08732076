import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

/**
 * Structured JSON logs on stdout; tools (the bench runner among them) read the `event` field.
 *
 * Written synchronously: pino's default asynchronous stdout is flushed at exit by sonic-boom's
 * `flushSync`, which retries a failing write every 100 ms forever — so a lab whose stdout pipe
 * had closed (`npm start | head`) never exited on SIGTERM. A synchronous destination reports the
 * EPIPE on the write itself, pino then drops further logs, and nothing is left to flush at exit.
 * The lab logs a handful of lines at `info`; per-request lines exist only at `debug`.
 */
export function createLogger(level: LogLevel): Logger {
  return pino(
    {
      name: 'metric-lab',
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ dest: 1, sync: true }),
  );
}
