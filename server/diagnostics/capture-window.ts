/** How long a capture runs and what can end it. */
export interface CaptureWindow {
  durationMs: number;
  /** The client went away: stop, free the profiler, discard the data. */
  cancel: AbortSignal;
  /** The server is shutting down: stop now and deliver what was captured so far. */
  stopEarly?: AbortSignal;
}

export type WindowEnd = 'elapsed' | 'stopped-early' | 'cancelled';

/** Every capture ends in one of these; `cancelled` carries no data. */
export type Capture<T> =
  { status: 'ok'; value: T; startedEpochMs: number; elapsedMs: number; stoppedEarly: boolean } | { status: 'cancelled' };

/** Waits out the window on a timer (the event loop stays free for app traffic). */
export function waitForWindow(window: CaptureWindow): Promise<WindowEnd> {
  if (window.cancel.aborted) return Promise.resolve('cancelled');
  if (window.stopEarly?.aborted) return Promise.resolve('stopped-early');
  return new Promise((resolve) => {
    const finish = (end: WindowEnd) => {
      clearTimeout(timer);
      window.cancel.removeEventListener('abort', onCancel);
      window.stopEarly?.removeEventListener('abort', onStop);
      resolve(end);
    };
    const onCancel = () => finish('cancelled');
    const onStop = () => finish('stopped-early');
    const timer = setTimeout(() => finish('elapsed'), window.durationMs);
    window.cancel.addEventListener('abort', onCancel, { once: true });
    window.stopEarly?.addEventListener('abort', onStop, { once: true });
  });
}
