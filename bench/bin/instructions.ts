/**
 * `npm run bench:instructions`: instructions per operation of the lab's pure functions, counted
 * by valgrind's callgrind — deterministic where wall-clock time on a shared VM is not. Each task
 * runs in its own counted process: start-up, setup and warm-up are cut off by segment markers
 * (bench/micro/marker.ts), and the measured operations are divided out.
 */
import { parseArgs } from 'node:util';
import { isEntryPoint, oneLine, parseWholeNumbers, runCli, type Parsed } from '../../lib/cli.js';
import { renderTable } from '../../lib/text-table.js';
import { DEFAULT_MEASURE_OPTIONS, measureTasks, type TaskMeasurement } from '../micro/measure.js';
import { spreadOf, type Spread } from '../micro/per-op.js';
import { isTaskName, resolveSize, TASK_NAMES, TASK_SIZES, type TaskName } from '../micro/task-sizes.js';

const TOOL = 'bench:instructions';
export const DEFAULTS = { runs: 1, top: 0, timeoutSeconds: DEFAULT_MEASURE_OPTIONS.timeoutMs / 1000, concurrency: 2 } as const;

const sizeHelp = () =>
  TASK_NAMES.map((name) => {
    const size = resolveSize(name);
    const params = size.ok ? Object.entries(size.size).map(([k, v]) => `${k}=${v}`) : [];
    return `    ${name.padEnd(16)} ${params.join(' ')}  (per ${TASK_SIZES[name].unit})`;
  }).join('\n');

const usage = () => `Usage: npm run bench:instructions -- [options]

Counts the CPU instructions one operation of each of the lab's pure functions executes, under
valgrind --tool=callgrind with deterministic V8 flags: the same code gives the same count, run
after run, on a busy machine too. One valgrind run per task and run, ${DEFAULTS.concurrency} at a time.

  --task NAME           a task to count (repeatable; default: all)
  --size TASK.PARAM=N   a task's size parameter (repeatable), e.g. --size loop.iterations=202000
  --runs N              repeat the whole measurement N times to show its stability (default ${DEFAULTS.runs})
  --top N               also list the N costliest functions of each task's operations (adds
                        V8's --perf-basic-prof to name JIT code, which moves some counts by up to
                        ~0.6%: compare counts taken with --top only with counts taken with --top)
  --timeout-seconds N   limit per valgrind run (default ${DEFAULTS.timeoutSeconds})
  --json                print the results as JSON
  -h, --help            show this help

Tasks and their default sizes:
${sizeHelp()}

Needs valgrind (apt-get install valgrind); without it every task is reported as skipped.
Exit codes: 0 counted (or skipped: no valgrind); 1 a run errored; 2 bad usage.`;

export interface InstructionsOptions {
  tasks: TaskName[];
  sizes: Record<TaskName, Record<string, number>>;
  runs: number;
  top: number;
  timeoutSeconds: number;
  json: boolean;
}

/** Parses `npm run bench:instructions` flags (pure). */
export function parseInstructionsArgs(argv: readonly string[]): Parsed<InstructionsOptions> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        task: { type: 'string', multiple: true },
        size: { type: 'string', multiple: true },
        runs: { type: 'string', default: String(DEFAULTS.runs) },
        top: { type: 'string', default: String(DEFAULTS.top) },
        'timeout-seconds': { type: 'string', default: String(DEFAULTS.timeoutSeconds) },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { kind: 'error', message: oneLine(error) };
  }
  if (values.help) return { kind: 'help' };
  const numbers = parseWholeNumbers(
    { runs: values.runs, top: values.top, 'timeout-seconds': values['timeout-seconds'] },
    { runs: [1, 100], top: [0, 1000], 'timeout-seconds': [1, 3600] },
  );
  if (!numbers.ok) return { kind: 'error', message: numbers.message };

  const tasks: TaskName[] = [];
  for (const name of values.task ?? TASK_NAMES) {
    if (!isTaskName(name))
      return { kind: 'error', message: `--task: unknown task ${JSON.stringify(name)} (tasks: ${TASK_NAMES.join(', ')})` };
    if (!tasks.includes(name)) tasks.push(name);
  }
  const given: Partial<Record<TaskName, Record<string, number>>> = {};
  for (const text of values.size ?? []) {
    const match = /^([\w-]+)\.(\w+)=(\d+)$/.exec(text.trim());
    if (match === null) return { kind: 'error', message: `--size: expected TASK.PARAM=N, got ${JSON.stringify(text)}` };
    const [, task = '', param = '', value = ''] = match;
    if (!isTaskName(task))
      return { kind: 'error', message: `--size: unknown task ${JSON.stringify(task)} (tasks: ${TASK_NAMES.join(', ')})` };
    given[task] = { ...given[task], [param]: Number(value) };
  }
  const sizes = {} as Record<TaskName, Record<string, number>>;
  for (const task of TASK_NAMES) {
    const resolved = resolveSize(task, given[task]);
    if (!resolved.ok) return { kind: 'error', message: `--size ${resolved.message}` };
    sizes[task] = resolved.size;
  }
  return {
    kind: 'ok',
    options: {
      tasks,
      sizes,
      runs: numbers.values.runs,
      top: numbers.values.top,
      timeoutSeconds: numbers.values['timeout-seconds'],
      json: values.json ?? false,
    },
  };
}

export interface TaskSummary {
  task: TaskName;
  size: Record<string, number>;
  /** One entry per run. */
  runs: TaskMeasurement[];
  /** Over the runs that counted; absent when none did. */
  instructionsPerOp?: Spread;
}

/** The runs of each task side by side, with the spread of their counts (pure). */
export function summarize(
  tasks: readonly TaskName[],
  sizes: Record<TaskName, Record<string, number>>,
  runs: readonly TaskMeasurement[][],
): TaskSummary[] {
  return tasks.map((task, i) => {
    const measurements = runs.map((run) => run[i] as TaskMeasurement);
    const counts = measurements.flatMap((m) => (m.status === 'ok' ? [m.instructionsPerOp] : []));
    return { task, size: sizes[task], runs: measurements, ...(counts.length > 0 ? { instructionsPerOp: spreadOf(counts) } : {}) };
  });
}

const formatCount = (n: number) => Math.round(n).toLocaleString('en-US');

function renderText(summaries: readonly TaskSummary[], wallSeconds: number[]): string {
  const rows = summaries.map((s) => {
    const ok = s.runs.filter((m) => m.status === 'ok');
    const first = ok[0];
    const problem = s.runs.find((m) => m.status !== 'ok');
    const size = Object.entries(s.size)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    if (s.instructionsPerOp === undefined || first === undefined) {
      const why = problem === undefined ? '' : problem.status === 'skipped' ? `skipped: ${problem.reason}` : `errored: ${problem.error}`;
      return [s.task, size, why, '', '', ''];
    }
    const spread = s.instructionsPerOp;
    return [
      s.task,
      size,
      formatCount(spread.median),
      `${first.instructionsPerUnit.toFixed(first.instructionsPerUnit < 100 ? 2 : 0)}/${first.unit}`,
      ok.length > 1 ? `${(spread.relative * 100).toFixed(4)}%` : '',
      `${ok.length}/${s.runs.length}${problem === undefined ? '' : ` (${problem.status}: ${problem.status === 'errored' ? problem.error : problem.status === 'skipped' ? problem.reason : ''})`}`,
    ];
  });
  let text = renderTable(['task', 'size', 'instructions/op (median)', 'per unit', 'spread (max-min)/median', 'runs ok'], rows, '', {
    textColumns: 2,
    lastIsText: true,
  });
  for (const s of summaries) {
    const first = s.runs.find((m) => m.status === 'ok');
    if (first === undefined || first.top.length === 0) continue;
    text += `\n\n${s.task}: top functions by self instructions (measured operations, run 1)\n`;
    text += renderTable(
      ['function', 'object', 'self Ir', 'share'],
      first.top.map((f) => [
        f.name.length > 100 ? `${f.name.slice(0, 99)}…` : f.name,
        f.object.split('/').pop() ?? '',
        formatCount(f.selfIr),
        `${(f.share * 100).toFixed(1)}%`,
      ]),
      '  ',
      { textColumns: 2 },
    );
  }
  const total = wallSeconds.reduce((a, b) => a + b, 0);
  text += `\n\nwall time: ${wallSeconds.map((s) => `${s.toFixed(1)} s`).join(', ')} per measurement (${total.toFixed(1)} s in all)`;
  return text;
}

export async function main(options: InstructionsOptions): Promise<number> {
  const requests = options.tasks.map((task) => ({ task, size: options.sizes[task] }));
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const runs: TaskMeasurement[][] = [];
  const wallSeconds: number[] = [];
  try {
    for (let run = 1; run <= options.runs && !abort.signal.aborted; run++) {
      if (!options.json) process.stderr.write(`measurement ${run}/${options.runs}: ${options.tasks.join(', ')}…\n`);
      const startMs = performance.now();
      runs.push(
        await measureTasks(requests, {
          // Every run alike: --perf-basic-prof (needed for the names) moves some counts by up to ~0.6%.
          top: options.top,
          concurrency: DEFAULTS.concurrency,
          timeoutMs: options.timeoutSeconds * 1000,
          signal: abort.signal,
        }),
      );
      wallSeconds.push((performance.now() - startMs) / 1000);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const summaries = summarize(options.tasks, options.sizes, runs);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ node: process.version, wallSeconds, tasks: summaries }, null, 2)}\n`);
  } else {
    process.stdout.write(`${renderText(summaries, wallSeconds)}\n`);
  }
  if (abort.signal.aborted) return 130;
  return runs.some((run) => run.some((m) => m.status === 'errored')) ? 1 : 0;
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runCli({ tool: TOOL, usage, parse: parseInstructionsArgs, main });
