/**
 * The lab's pure functions as operations to count: task name → (size) → the operation, its
 * setup done. Setup imports only what the task needs, because every import is start-up time
 * under valgrind (prom-client ~250 million instructions, pino ~130 million). An operation is
 * deterministic: nothing it computes depends on a clock or a random number, and an async one is
 * awaited before the next starts. Sizes arrive already resolved (`task-sizes.ts`).
 */
import type { TaskName, TaskSize } from './task-sizes.js';

export type Operation = () => void | Promise<void>;

/** Keeps results alive so the optimizing compiler cannot drop the work that made them. */
export let sink: unknown;

/** Forgets the last result, so an operation that returns nothing leaves `sink` undefined. */
export function clearSink(): void {
  sink = undefined;
}

/** A fixed instant: a real clock would make the timestamp's formatting vary between runs. */
const FIXED_EPOCH_MS = 1_764_633_600_123.456;

export const TASKS: { readonly [T in TaskName]: (size: TaskSize<T>) => Promise<Operation> } = {
  async loop({ iterations }) {
    const { loopChecksum } = await import('../../server/work/checksum.js');
    return () => {
      sink = loopChecksum(iterations);
    };
  },

  async 'payload-build'({ items, itemBytes }) {
    const { buildPayload } = await import('../../server/work/payload.js');
    return () => {
      sink = buildPayload(items, itemBytes);
    };
  },

  /** `encodeWorkResponse` of a prebuilt payload: its JSON encoding and SHA-256 digest. */
  async 'response-encode'({ items, itemBytes }) {
    const [{ buildPayload }, { encodeWorkResponse }] = await Promise.all([
      import('../../server/work/payload.js'),
      import('../../server/work/response.js'),
    ]);
    const result = {
      timingsMs: { dbQueryMs: 1.5, loopMs: 2.25, payloadBuildMs: 0.75, totalMs: 4.5 },
      loopIterations: 200_000,
      loopChecksum: 2_666_626_666_720_000n,
      timestampEpochMs: FIXED_EPOCH_MS,
      payload: buildPayload(items, itemBytes),
    };
    return () => {
      sink = encodeWorkResponse(result);
    };
  },

  /** `calls` × `track('loop')()` wired as the lab wires it: histogram observe + in-memory stats. */
  async track({ calls }) {
    const [{ pino }, { createLabMetrics }, { SectionStats }, { createTracker }] = await Promise.all([
      import('pino'),
      import('../../server/metrics/lab-metrics.js'),
      import('../../server/metrics/section-stats.js'),
      import('../../server/metrics/track.js'),
    ]);
    const metrics = createLabMetrics({ runtimeMetrics: false });
    const stats = new SectionStats();
    const loopSeries = metrics.sectionDurationSeconds.child({ section: 'loop' });
    // The real clock is read (its cost is part of track()), but the durations recorded are a fixed
    // 1 µs: real ones vary with the machine's load, and where they land in the histogram's buckets
    // and the HDR stats changes the instructions (measured: 2 of 40 counts 1.67% off).
    let tickMs = 0;
    const deterministicNowMs = () => {
      performance.now();
      return (tickMs += 0.001);
    };
    const track = createTracker(
      (section, durationMs) => {
        stats.record(section, durationMs);
        loopSeries.observe(durationMs / 1000);
      },
      pino({ level: 'info' }),
      deterministicNowMs,
    );
    return () => {
      for (let i = 0; i < calls; i++) track('loop')();
    };
  },

  /** prom-client `registry.metrics()` of the lab's registry with `series` label sets per family. */
  async metrics({ series }) {
    const { createLabMetrics } = await import('../../server/metrics/lab-metrics.js');
    const metrics = createLabMetrics({ runtimeMetrics: false });
    for (let s = 0; s < series; s++) {
      const labels = { method: 'GET', path: `/api/route-${s}` };
      metrics.httpRequestsTotal.child(labels).inc(s + 1);
      metrics.httpErrorsTotal.child({ ...labels, status: '500' }).inc();
      metrics.httpRequestDurationSeconds.child(labels).observe(0.001 * (s + 1));
      metrics.sectionDurationSeconds.child({ section: `section-${s}` }).observe(0.002 * (s + 1));
      metrics.businessLatencySeconds.child({ operation: `operation-${s}` }).observe(0.02 * (s + 1));
    }
    metrics.workLoopIterationsTotal.inc(200_000);
    return async () => {
      sink = await metrics.registry.metrics();
    };
  },
};

/** The operation for a task at a resolved size. */
export function createOperation(task: TaskName, size: Record<string, number>): Promise<Operation> {
  return (TASKS[task] as (size: Record<string, number>) => Promise<Operation>)(size);
}
