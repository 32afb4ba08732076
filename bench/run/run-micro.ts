/**
 * One micro scenario on one or more sides (this checkout, another ref's build): for each timing
 * trial every side starts a fresh timing child, which warms up, and the sides' trials interleave
 * A B, B A … like the load scenarios' (drift hits both alike, trial k of each side is a pair); last
 * each side's tasks are counted under callgrind, one task per valgrind run. Never throws: the
 * outcome says what happened.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureTasks, type TaskMeasurement } from '../micro/measure.js';
import { startTimingChild, type TimingSession } from '../micro/timing-process.js';
import { microKey } from '../results/metrics.js';
import { microSummaryMetrics, type MicroOutcome, type MicroTrial } from '../results/micro-outcome.js';
import { evaluateThresholds } from '../results/thresholds.js';
import type { MicroScenarioSpec } from '../scenario/micro-spec.js';

export interface MicroSide {
  label: string;
  /** A built checkout (another ref's worktree); default: the build this module belongs to. */
  root?: string;
}

export interface RunMicroOptions {
  signal: AbortSignal;
  log: (line: string) => void;
  /** Overrides the scenario's timing trials (`--trials`). */
  trials?: number;
  /** Test seam: whether valgrind is on PATH. */
  valgrindAvailable?: boolean;
}

/** A trial's replies must come within this; a task's trial takes `secondsPerTrial` (× tasks) plus tinybench's overhead. */
const TIMING_TIMEOUT_FLOOR_MS = 30_000;

const ownScript = (name: string) => fileURLToPath(new URL(`../micro/${name}`, import.meta.url));
const scriptOf = (side: MicroSide, name: string) =>
  side.root === undefined ? ownScript(name) : join(side.root, 'dist', 'bench', 'micro', name);

export async function runMicroSides(
  spec: MicroScenarioSpec,
  hash: string,
  sides: readonly MicroSide[],
  options: RunMicroOptions,
): Promise<MicroOutcome[]> {
  const startedMs = performance.now();
  const trials = options.trials ?? spec.timing.trials;
  const named = (side: MicroSide) => (sides.length > 1 ? `${side.label}: ` : '');
  const outcome = (side: MicroSide, parts: Partial<Omit<MicroOutcome, 'status'>> & { error?: string }): MicroOutcome => {
    const base = {
      kind: 'micro' as const,
      name: spec.name,
      hash,
      spec,
      trials: parts.trials ?? [],
      instructions: parts.instructions ?? [],
      answers: parts.answers ?? [],
      thresholds: evaluateThresholds(spec.thresholds, microSummaryMetrics(parts.trials ?? [], parts.instructions ?? [])),
      durationSeconds: (performance.now() - startedMs) / 1000,
      topFunctions: [],
    };
    return parts.error === undefined ? { ...base, status: 'ok' } : { ...base, status: 'errored', error: `${named(side)}${parts.error}` };
  };

  // A ref built before micro scenarios existed has nothing to run.
  for (const side of sides) {
    for (const script of ['timing-child.js', ...(spec.instructions.enabled ? ['child.js'] : [])]) {
      if (!existsSync(scriptOf(side, script))) {
        const error = `${scriptOf(side, script)} does not exist: this build predates micro scenarios`;
        return sides.map((s) => outcome(s, { error: s === side ? error : `${side.label}: ${error}` }));
      }
    }
  }

  const plan = {
    tasks: spec.tasks.map(({ task, size }) => ({ task, size })),
    secondsPerTrial: spec.timing.secondsPerTrial,
    warmupSeconds: spec.timing.warmupSeconds,
  };
  const timeoutMs = Math.max(
    TIMING_TIMEOUT_FLOOR_MS,
    (spec.timing.warmupSeconds + spec.timing.secondsPerTrial) * spec.tasks.length * 10_000,
  );
  const perSide = sides.map(() => ({
    trials: [] as MicroTrial[],
    answers: [] as MicroOutcome['answers'],
    error: undefined as string | undefined,
  }));
  options.log(
    `${spec.name}: ${trials} timing trial(s), each in a fresh process per side, ${spec.tasks.length} task(s) × ${spec.timing.secondsPerTrial} s`,
  );
  for (let index = 1; index <= trials && perSide.every((s) => s.error === undefined) && !options.signal.aborted; index++) {
    // A fresh process per trial and side (JMH's forks): measured here, the same code in two
    // processes differed by up to 9% (track) and 5% (metrics) — JIT, GC and address-layout
    // decisions made once per process — while trials within one process pair varied 0.5%. One
    // long-lived child per side would put that difference into every pair, and into no interval.
    const sessions: TimingSession[] = sides.map((side) =>
      startTimingChild(scriptOf(side, 'timing-child.js'), plan, { timeoutMs, signal: options.signal }),
    );
    try {
      // Both warm up at once (setup and JIT warm-up need no quiet); the measured trials do not overlap.
      const ready = await Promise.all(sessions.map((s) => s.ready()));
      ready.forEach((reply, i) => {
        const state = perSide[i] as (typeof perSide)[number];
        if (!reply.ok) state.error = reply.error;
        else if (index === 1) state.answers = spec.tasks.map(({ task }) => ({ task, digest: reply.value[task] ?? null }));
        else state.error ??= answersDiffer(state.answers, reply.value, index);
      });
      // A B, B A, …: the same order on every run, so each side goes first equally often.
      const order = index % 2 === 1 ? sides.map((_, i) => i) : sides.map((_, i) => sides.length - 1 - i);
      for (const i of order) {
        const state = perSide[i] as (typeof perSide)[number];
        if (perSide.some((s) => s.error !== undefined)) break;
        const reply = await (sessions[i] as TimingSession).trial(index);
        if (!reply.ok) {
          state.error = reply.error;
          break;
        }
        const metrics = Object.fromEntries(Object.entries(reply.value).map(([task, t]) => [microKey(task, 'ns_per_op'), t.medianNs]));
        state.trials.push({ index, timings: reply.value, metrics });
      }
    } finally {
      await Promise.all(sessions.map((s) => s.close()));
    }
    options.log(`${spec.name}: timing trial ${index}/${trials} done`);
  }

  const counts: TaskMeasurement[][] = sides.map(() => []);
  if (spec.instructions.enabled && perSide.every((s) => s.error === undefined) && !options.signal.aborted) {
    for (const [i, side] of sides.entries()) {
      options.log(`${spec.name}: ${named(side)}counting instructions under callgrind (${spec.tasks.length} task(s))`);
      counts[i] = await measureTasks(
        spec.tasks.map(({ task, size, warmupOps, measuredOps }) => ({
          task: task as TaskMeasurement['task'],
          size,
          warmupOps,
          measuredOps,
        })),
        {
          top: 0,
          concurrency: 2,
          timeoutMs: spec.instructions.timeoutSeconds * 1000,
          signal: options.signal,
          childScript: scriptOf(side, 'child.js'),
          ...(options.valgrindAvailable === undefined ? {} : { valgrindAvailable: options.valgrindAvailable }),
        },
      );
      const skipped = counts[i]?.find((c) => c.status === 'skipped');
      if (skipped?.status === 'skipped') options.log(`${spec.name}: instruction counts skipped: ${skipped.reason}`);
    }
  }
  return sides.map((side, i) => {
    const state = perSide[i] as (typeof perSide)[number];
    const instructions = counts[i] ?? [];
    const errored = instructions.find((c) => c.status === 'errored');
    const error = state.error ?? (errored?.status === 'errored' ? `instruction count of ${errored.task}: ${errored.error}` : undefined);
    return outcome(side, { trials: state.trials, instructions, answers: state.answers, ...(error === undefined ? {} : { error }) });
  });
}

/** Functions listed per side when a count regressed: enough to see the change, short enough to read. */
export const TOP_FUNCTIONS = 12;

/**
 * The costliest functions of each named task's operations on one side (a separate callgrind run
 * with V8's perf map, so JIT code has names), for a count regression.
 */
export async function whereInstructionsWent(
  spec: MicroScenarioSpec,
  tasks: readonly string[],
  side: MicroSide,
  options: { signal: AbortSignal; log: (line: string) => void },
): Promise<MicroOutcome['topFunctions']> {
  const requests = spec.tasks.filter((t) => tasks.includes(t.task));
  if (requests.length === 0) return [];
  options.log(`${spec.name}: ${side.label}: where the instructions went (${requests.map((t) => t.task).join(', ')})`);
  const measured = await measureTasks(
    requests.map(({ task, size, warmupOps, measuredOps }) => ({ task: task as TaskMeasurement['task'], size, warmupOps, measuredOps })),
    {
      top: TOP_FUNCTIONS,
      concurrency: 2,
      timeoutMs: spec.instructions.timeoutSeconds * 1000,
      signal: options.signal,
      childScript: scriptOf(side, 'child.js'),
    },
  );
  return measured.map((m) =>
    m.status === 'ok'
      ? { task: m.task, instructionsPerOp: m.instructionsPerOp, top: m.top, note: null }
      : { task: m.task, instructionsPerOp: null, top: [], note: m.status === 'skipped' ? m.reason : m.error },
  );
}

/** A task whose answer differs between two processes of the same code computes something nondeterministic. */
export function answersDiffer(first: MicroOutcome['answers'], now: Record<string, string | null>, trial: number): string | undefined {
  const changed = first.find(({ task, digest }) => (now[task] ?? null) !== digest);
  return changed
    ? `task ${changed.task} answered ${JSON.stringify(now[changed.task] ?? null)} in trial ${trial}'s process, ${JSON.stringify(changed.digest)} in the first: a nondeterministic answer`
    : undefined;
}
