import type { Profiler } from 'node:inspector';
import type { Session } from 'node:inspector/promises';
import { waitForWindow, type Capture, type CaptureWindow } from './capture-window.js';
import { CPU_SAMPLING_INTERVAL_US } from './limits.js';
import { withInspectorSession } from './inspector-session.js';

export type CpuProfile = Profiler.Profile;

/** Samples this process's JS stacks for the window, in process (V8's CPU profiler). */
export function captureCpuProfile(window: CaptureWindow, samplingIntervalUs = CPU_SAMPLING_INTERVAL_US): Promise<Capture<CpuProfile>> {
  return withInspectorSession(async (session) => {
    const startedEpochMs = Date.now();
    const startedMs = performance.now();
    await startCpuProfiler(session, samplingIntervalUs);
    const end = await waitForWindow(window);
    const { profile } = await session.post('Profiler.stop');
    await session.post('Profiler.disable');
    if (end === 'cancelled') return { status: 'cancelled' };
    return {
      status: 'ok',
      value: profile,
      startedEpochMs,
      elapsedMs: performance.now() - startedMs,
      stoppedEarly: end === 'stopped-early',
    };
  });
}

/** Shared with the trace capture, which records JS samples beside the trace events. */
export async function startCpuProfiler(session: Session, samplingIntervalUs: number): Promise<void> {
  await session.post('Profiler.enable');
  // The interval only takes effect if set before start.
  await session.post('Profiler.setSamplingInterval', { interval: samplingIntervalUs });
  await session.post('Profiler.start');
}
