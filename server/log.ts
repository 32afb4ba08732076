import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

/** Structured JSON logs on stdout; tools (the bench runner among them) read the `event` field. */
export function createLogger(level: LogLevel): Logger {
  return pino({
    name: 'metric-lab',
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
