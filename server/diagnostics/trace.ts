import { waitForWindow, type Capture, type CaptureWindow } from './capture-window.js';
import { startCpuProfiler } from './cpu-profile.js';
import { withInspectorSession } from './inspector-session.js';
import { CPU_SAMPLING_INTERVAL_US } from './limits.js';
import { cpuProfileToTraceEvents, type TraceEvent } from './trace-events.js';

export interface TraceOptions {
  categories: readonly string[];
  samplingIntervalUs?: number;
}

/** A track id no real thread has; Node's main thread traces as tid = pid. */
const SAMPLE_TRACK_TID = 0x7fff_0001;

/**
 * Records Node's trace events (the `NodeTracing` inspector domain) and, alongside, V8's CPU
 * samples, which become a "JS CPU samples" track in the same trace.
 */
export function captureTrace(window: CaptureWindow, options: TraceOptions): Promise<Capture<TraceEvent[]>> {
  return withInspectorSession(async (session) => {
    const collected: TraceEvent[] = [];
    session.on('NodeTracing.dataCollected', (message) => {
      for (const event of message.params.value) collected.push(event as TraceEvent);
    });
    const complete = new Promise<void>((resolve) => session.once('NodeTracing.tracingComplete', () => resolve()));

    const startedEpochMs = Date.now();
    const startedMs = performance.now();
    await session.post('NodeTracing.start', { traceConfig: { includedCategories: [...options.categories] } });
    let end: Awaited<ReturnType<typeof waitForWindow>>;
    let profile;
    try {
      await startCpuProfiler(session, options.samplingIntervalUs ?? CPU_SAMPLING_INTERVAL_US);
      end = await waitForWindow(window);
      ({ profile } = await session.post('Profiler.stop'));
      await session.post('Profiler.disable');
    } finally {
      await session.post('NodeTracing.stop');
      await complete;
    }
    if (end === 'cancelled') return { status: 'cancelled' };
    const samples = cpuProfileToTraceEvents(profile, { pid: process.pid, tid: SAMPLE_TRACK_TID, name: 'JS CPU samples (V8 profiler)' });
    return {
      status: 'ok',
      value: collected.concat(samples),
      startedEpochMs,
      elapsedMs: performance.now() - startedMs,
      stoppedEarly: end === 'stopped-early',
    };
  });
}
