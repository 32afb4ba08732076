/**
 * The process callgrind counts: `node <V8 flags> dist/bench/micro/child.js '<ChildPlan JSON>'`.
 * It sets the task up, warms it up, then marks three segment boundaries (`marker.ts`):
 *
 *   [start-up + setup + warm-up] marker [empty] marker [measuredOps operations] marker [exit]
 *
 * The empty segment is the marker's own cost, subtracted from the measured one. Exit 0 done;
 * 2 a bad plan.
 */
import { parseChildPlan } from './child-plan.js';
import { marker } from './marker.js';
import { createOperation, TASKS, type Operation } from './tasks.js';
import type { TaskName } from './task-sizes.js';

async function run(ops: number, operation: Operation): Promise<void> {
  for (let i = 0; i < ops; i++) {
    const pending = operation();
    // Sync tasks return undefined: no microtask per call, so they pay nothing for async support.
    if (pending !== undefined) await pending;
  }
}

async function childMain(argument: string | undefined): Promise<number> {
  const parsed = parseChildPlan(argument);
  if (!parsed.ok) {
    process.stderr.write(`micro child: ${parsed.message}\n`);
    return 2;
  }
  const { task, size, warmupOps, measuredOps } = parsed.plan;
  if (!Object.hasOwn(TASKS, task)) {
    process.stderr.write(`micro child: unknown task ${JSON.stringify(task)}\n`);
    return 2;
  }
  const operation = await createOperation(task as TaskName, size);
  await run(warmupOps, operation);
  // A full collection before counting (--expose-gc is on): the next one then falls at the same
  // point on every side. Without it, a build at a longer path (a worktree in /tmp) allocated a
  // little more at start-up and, on Node 24, collected inside the measured operations: +0.5%.
  (globalThis as { gc?: () => void }).gc?.();
  marker();
  marker();
  await run(measuredOps, operation);
  marker();
  return 0;
}

process.exitCode = await childMain(process.argv[2]);
