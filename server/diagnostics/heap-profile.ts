import type { HeapProfiler, Runtime } from 'node:inspector';
import type { Readable } from 'node:stream';
import { getHeapSnapshot } from 'node:v8';
import { waitForWindow, type Capture, type CaptureWindow } from './capture-window.js';
import { HEAP_SAMPLING_INTERVAL_BYTES } from './limits.js';
import { withInspectorSession } from './inspector-session.js';

/** V8's sampling heap profile; @types/node's version predates node ids and the samples list. */
export interface HeapProfile {
  head: HeapProfileNode;
  samples: { size: number; nodeId: number; ordinal: number }[];
}

export interface HeapProfileNode {
  id: number;
  callFrame: Runtime.CallFrame;
  /** Bytes of sampled allocations here, already scaled up by V8 to estimate all allocations. */
  selfSize: number;
  children: HeapProfileNode[];
}

export interface HeapCaptureOptions {
  /** `alloc` keeps samples of objects the GC already freed (V8's includeObjectsCollectedBy* flags). */
  mode: 'inuse' | 'alloc';
  /** Collect garbage before reading, so `inuse` reflects only live objects. */
  gc: boolean;
  samplingIntervalBytes?: number;
}

/**
 * Samples allocations over the window with V8's sampling heap profiler. Unlike Go, V8 does not
 * sample from process start, so a heap profile covers the window's allocations only.
 */
export function captureHeapProfile(window: CaptureWindow, options: HeapCaptureOptions): Promise<Capture<HeapProfile>> {
  return withInspectorSession(async (session) => {
    const startedEpochMs = Date.now();
    const startedMs = performance.now();
    const keepCollected = options.mode === 'alloc';
    await session.post('HeapProfiler.enable');
    // The include* flags are in Node 20's V8 protocol but not yet in @types/node.
    const startParams: HeapProfiler.StartSamplingParameterType & Record<string, unknown> = {
      samplingInterval: options.samplingIntervalBytes ?? HEAP_SAMPLING_INTERVAL_BYTES,
      includeObjectsCollectedByMajorGC: keepCollected,
      includeObjectsCollectedByMinorGC: keepCollected,
    };
    await session.post('HeapProfiler.startSampling', startParams);
    try {
      const end = await waitForWindow(window);
      if (end === 'cancelled') return { status: 'cancelled' };
      if (options.gc) await session.post('HeapProfiler.collectGarbage');
      const { profile } = await session.post('HeapProfiler.getSamplingProfile');
      return {
        status: 'ok',
        value: profile as unknown as HeapProfile,
        startedEpochMs,
        elapsedMs: performance.now() - startedMs,
        stoppedEarly: end === 'stopped-early',
      };
    } finally {
      await session.post('HeapProfiler.stopSampling');
      await session.post('HeapProfiler.disable');
    }
  });
}

/**
 * A full V8 heap snapshot (DevTools' Memory panel format) as a stream. Taking it pauses the event
 * loop for a time proportional to the heap, and needs about as much memory again.
 */
export function heapSnapshotStream(): Readable {
  return getHeapSnapshot();
}
