import { describe, expect, it } from 'vitest';
import { measureTask, measureTasks, VALGRIND_MISSING } from '../../bench/micro/measure.js';
import { relativeChange } from '../../bench/micro/per-op.js';
import { commandExists } from '../../bench/process/command.js';

const hasValgrind = commandExists('valgrind');
// The compiled child (the integration project builds dist/ first).
const childScript = 'dist/bench/micro/child.js';
const options = { top: 0, concurrency: 2, timeoutMs: 90_000, childScript };
// Small enough that one valgrind run takes a few seconds, large enough to dwarf the marker.
const loop = (iterations: number) => ({ task: 'loop' as const, size: { iterations }, warmupOps: 10, measuredOps: 4 });

describe('instruction counts under callgrind (real valgrind)', () => {
  it.skipIf(!hasValgrind)(
    'counts the same loop twice within 0.1%, and +5% iterations as +4–6% instructions',
    async () => {
      const [first, second, larger] = await measureTasks([loop(50_000), loop(50_000), loop(52_500)], { ...options, concurrency: 3 });
      for (const result of [first, second, larger]) expect(result?.status, JSON.stringify(result)).toBe('ok');
      if (first?.status !== 'ok' || second?.status !== 'ok' || larger?.status !== 'ok') return;
      expect(first.instructionsPerOp).toBeGreaterThan(1_000_000); // ~47 instructions per iteration
      expect(Math.abs(relativeChange(first.instructionsPerOp, second.instructionsPerOp))).toBeLessThan(0.001);
      const change = relativeChange(first.instructionsPerOp, larger.instructionsPerOp);
      expect(change).toBeGreaterThan(0.04);
      expect(change).toBeLessThan(0.06);
    },
    120_000,
  );

  it('reports a task as skipped, not a crash, where valgrind is missing', async () => {
    await expect(measureTask(loop(1000), { ...options, valgrindAvailable: false })).resolves.toEqual({
      status: 'skipped',
      task: 'loop',
      reason: VALGRIND_MISSING,
    });
  });
});
