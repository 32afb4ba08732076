import type { LoadProgress } from './generator.js';
import type { LoadResult } from './types.js';

/** Messages between `runLoad` (parent) and the load worker (child), over Node's IPC channel. */

export interface RunMessage {
  type: 'run';
  /** Untrusted until the worker has validated it. */
  plan: unknown;
  progressIntervalMs: number;
}

/** Ends the worker's session: it disconnects and exits once nothing is left running. */
export interface CloseMessage {
  type: 'close';
}

export type WorkerMessage =
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'result'; result: LoadResult }
  | { type: 'error'; kind: 'invalid-plan' | 'failed'; message: string };

export function isRunMessage(value: unknown): value is RunMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as Record<string, unknown>;
  return message['type'] === 'run' && typeof message['progressIntervalMs'] === 'number' && 'plan' in message;
}

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as Record<string, unknown>)['type'];
  return type === 'progress' || type === 'result' || type === 'error';
}

export function isCloseMessage(value: unknown): value is CloseMessage {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)['type'] === 'close';
}
