export type CaptureKind = 'cpu' | 'heap' | 'heapsnapshot' | 'trace';

export interface BusyProfiler {
  kind: CaptureKind;
  runningMs: number;
  /** Until the running capture's window ends; encoding may take a little longer. */
  remainingMs: number;
}

export interface ProfilerLease {
  /** Idempotent: the second call does nothing. */
  release(): void;
}

export type AcquireResult = { status: 'acquired'; lease: ProfilerLease } | { status: 'busy'; busy: BusyProfiler };

/**
 * One profiler user at a time, as Go's runtime allows one CPU profile: two captures would share
 * V8's profilers and each would see the other's overhead.
 */
export class ProfilerLock {
  #holder: { kind: CaptureKind; startedMs: number; expectedEndMs: number; token: object } | null = null;
  readonly #nowMs: () => number;

  constructor(nowMs: () => number = () => performance.now()) {
    this.#nowMs = nowMs;
  }

  tryAcquire(kind: CaptureKind, expectedDurationMs: number): AcquireResult {
    const nowMs = this.#nowMs();
    if (this.#holder !== null) {
      const { kind: heldKind, startedMs, expectedEndMs } = this.#holder;
      return { status: 'busy', busy: { kind: heldKind, runningMs: nowMs - startedMs, remainingMs: Math.max(0, expectedEndMs - nowMs) } };
    }
    const token = {};
    this.#holder = { kind, startedMs: nowMs, expectedEndMs: nowMs + expectedDurationMs, token };
    return {
      status: 'acquired',
      lease: {
        release: () => {
          if (this.#holder?.token === token) this.#holder = null;
        },
      },
    };
  }

  get busy(): boolean {
    return this.#holder !== null;
  }
}

export function formatBusy(busy: BusyProfiler): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(1);
  return (
    `a ${busy.kind} capture is already running (started ${seconds(busy.runningMs)} s ago, ` +
    `~${seconds(busy.remainingMs)} s left); one capture at a time: retry when it finishes`
  );
}
