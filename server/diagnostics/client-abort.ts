import type { ServerResponse } from 'node:http';

/**
 * Aborts when the connection closes before the response finished: the client gave up (Ctrl+C,
 * timeout), so a capture for it should stop and free the profiler.
 */
export function abortWhenClientLeaves(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
