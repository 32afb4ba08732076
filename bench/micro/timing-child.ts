/**
 * The process that times the tasks (tinybench) for one side of a micro scenario:
 * `node dist/bench/micro/timing-child.js '<TimingPlan JSON>'`. It sets every task up, warms it
 * up, reports each task's answer, then runs one trial per `{"trial": k}` line on stdin and
 * answers with each task's per-operation times (timing-protocol.ts). Ends when stdin ends.
 */
import { createInterface } from 'node:readline';
import { Bench } from 'tinybench';
import { answerDigest } from './answer-digest.js';
import { clearSink, createOperation, type Operation } from './tasks.js';
import * as taskModule from './tasks.js';
import { isTaskName } from './task-sizes.js';
import type { TaskTiming, TimingMessage, TimingPlan } from './timing-protocol.js';

const send = (message: TimingMessage) => process.stdout.write(`${JSON.stringify(message)}\n`);

/** tinybench counts an operation as one sample; at least this many per trial, whatever the time budget. */
const MIN_SAMPLES_PER_TRIAL = 5;

async function timeTask(operation: Operation, timeMs: number): Promise<TaskTiming> {
  const bench = new Bench({ time: timeMs, iterations: MIN_SAMPLES_PER_TRIAL, warmup: false, throws: true });
  bench.add('task', operation);
  await bench.run();
  const result = bench.tasks[0]?.result;
  if (result?.state !== 'completed') throw new Error(`tinybench did not complete (${result?.state ?? 'no result'})`);
  // tinybench's latencies are milliseconds.
  return { medianNs: result.latency.p50 * 1e6, meanNs: result.latency.mean * 1e6, samples: result.latency.samplesCount };
}

async function childMain(argument: string | undefined): Promise<number> {
  const plan = JSON.parse(argument ?? '') as TimingPlan;
  const operations = new Map<string, Operation>();
  const answers: Record<string, string | null> = {};
  for (const { task, size } of plan.tasks) {
    if (!isTaskName(task)) throw new Error(`unknown task ${JSON.stringify(task)}`);
    const operation = await createOperation(task, size);
    operations.set(task, operation);
    clearSink();
    await operation();
    answers[task] = answerDigest(taskModule.sink);
    const warmupUntil = performance.now() + plan.warmupSeconds * 1000;
    while (performance.now() < warmupUntil) await operation();
  }
  send({ type: 'ready', answers });
  for await (const line of createInterface({ input: process.stdin })) {
    const trial = (JSON.parse(line) as { trial: number }).trial;
    const tasks: Record<string, TaskTiming> = {};
    for (const [task, operation] of operations) tasks[task] = await timeTask(operation, plan.secondsPerTrial * 1000);
    send({ type: 'trial', trial, tasks });
  }
  return 0;
}

try {
  process.exitCode = await childMain(process.argv[2]);
} catch (error) {
  send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exitCode = 1;
}
