/**
 * Instructions per operation of the lab's pure functions, counted by callgrind: one valgrind run
 * per task (tasks never share a process, so selecting tasks never changes another task's count),
 * at most `concurrency` at a time. The result is plain data, one tagged union per task.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandExists, commandPath } from '../process/command.js';
import { STAGE_NODE_FLAGS, withCountingStage } from './counting-stage.js';
import { functionCosts, topFunctions, type FunctionCost } from './callgrind-functions.js';
import { parseTotalIr } from './callgrind-totals.js';
import type { ChildPlan } from './child-plan.js';
import { MARKER_FUNCTION } from './marker.js';
import { nameJitCode, parsePerfMap } from './perf-map.js';
import { instructionsPerOp, type Segments } from './per-op.js';
import { TASK_SIZES, unitsPerOperation, type TaskName } from './task-sizes.js';
import { runValgrind } from './valgrind-process.js';
import { PERF_MAP_FLAG, V8_FLAGS, VALGRIND_ARGS } from './v8-flags.js';

export const VALGRIND_MISSING = 'valgrind not found (apt-get install valgrind)';

export interface TaskRequest {
  task: TaskName;
  /** Resolved size (`resolveSize`). */
  size: Record<string, number>;
  warmupOps?: number;
  measuredOps?: number;
}

export interface MeasureOptions {
  /** Top functions of the measured segment to keep; 0 for none. */
  top: number;
  concurrency: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The compiled child script; defaults to the one beside this module. */
  childScript?: string;
  /** Test seam: whether valgrind is on PATH. */
  valgrindAvailable?: boolean;
}

export type TaskMeasurement =
  | {
      status: 'ok';
      task: TaskName;
      size: Record<string, number>;
      warmupOps: number;
      measuredOps: number;
      instructionsPerOp: number;
      unit: string;
      /** Instructions per iteration, byte, call or scrape. */
      instructionsPerUnit: number;
      segments: Segments;
      wallMs: number;
      /** Costliest functions of the measured segment, JIT code named from V8's perf map. */
      top: Array<FunctionCost & { share: number }>;
    }
  | { status: 'skipped'; task: TaskName; reason: string }
  | { status: 'errored'; task: TaskName; error: string };

export const DEFAULT_MEASURE_OPTIONS = { top: 0, concurrency: 2, timeoutMs: 120_000 } as const;

const defaultChildScript = () => fileURLToPath(new URL('./child.js', import.meta.url));

/** Where the counted child runs from (counting-stage.ts): its script and node through the stage's fixed paths. */
interface Staged {
  dir: string;
  childScript: string;
  node: string;
  valgrind: string;
}

/** The build a child script belongs to: the folder above its `dist/`. */
const buildRootOf = (childScript: string) => resolve(childScript, '..', '..', '..', '..');

async function staged<T>(options: MeasureOptions, work: (stage: Staged) => Promise<T>): Promise<T> {
  const childScript = resolve(options.childScript ?? defaultChildScript());
  const root = buildRootOf(childScript);
  return withCountingStage(root, async ({ dir, build }) => {
    const node = `${dir}/node`;
    await symlink(process.execPath, node);
    return work({ dir, childScript: `${build}/${relative(root, childScript)}`, node, valgrind: commandPath('valgrind') ?? 'valgrind' });
  });
}

/** Measures every request; results in the order asked. */
export async function measureTasks(requests: readonly TaskRequest[], options: MeasureOptions): Promise<TaskMeasurement[]> {
  if (!(options.valgrindAvailable ?? commandExists('valgrind')))
    return requests.map(({ task }) => ({ status: 'skipped', task, reason: VALGRIND_MISSING }));
  return staged(options, async (stage) => {
    const results: TaskMeasurement[] = new Array<TaskMeasurement>(requests.length);
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const index = next++;
        results[index] = await countTask(requests[index] as TaskRequest, options, stage);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, requests.length)) }, worker));
    return results;
  });
}

export async function measureTask(request: TaskRequest, options: MeasureOptions): Promise<TaskMeasurement> {
  const [measured] = await measureTasks([request], options);
  return measured as TaskMeasurement;
}

async function countTask(request: TaskRequest, options: MeasureOptions, stage: Staged): Promise<TaskMeasurement> {
  const { task, size } = request;
  const plan: ChildPlan = {
    task,
    size,
    warmupOps: request.warmupOps ?? TASK_SIZES[task].warmupOps,
    measuredOps: request.measuredOps ?? TASK_SIZES[task].measuredOps,
  };
  const dir = await mkdtemp(join(tmpdir(), 'metric-lab-callgrind-'));
  const outFile = join(dir, 'callgrind.out');
  let perfMap: string | undefined;
  try {
    const nodeFlags = options.top > 0 ? [...V8_FLAGS, PERF_MAP_FLAG] : [...V8_FLAGS];
    const args = [
      ...VALGRIND_ARGS,
      '-q',
      `--dump-before=${MARKER_FUNCTION}`,
      `--callgrind-out-file=${outFile}`,
      stage.node,
      ...STAGE_NODE_FLAGS,
      ...nodeFlags,
      stage.childScript,
      JSON.stringify(plan),
    ];
    // From the stage, with an empty environment: nothing about where or by whom it runs reaches the count.
    const exit = await runValgrind(args, {
      timeoutMs: options.timeoutMs,
      command: stage.valgrind,
      cwd: stage.dir,
      env: {},
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (exit.status === 'failed') return { status: 'errored', task, error: `valgrind did not start: ${exit.error}` };
    if (exit.status === 'killed') {
      const why = exit.reason === 'timeout' ? `timed out after ${options.timeoutMs / 1000} s` : 'aborted';
      return { status: 'errored', task, error: `valgrind ${why}` };
    }
    if (exit.code !== 0) return { status: 'errored', task, error: `valgrind exited ${exit.code}: ${exit.stderrTail || '(no output)'}` };

    const parts = (await readdir(dir)).filter((f) => /^callgrind\.out\.\d+$/.test(f));
    if (parts.length !== 3) {
      return {
        status: 'errored',
        task,
        error:
          parts.length < 3
            ? `expected 3 segment dumps, found ${parts.length}: is ${MARKER_FUNCTION} a symbol of ${process.execPath}?`
            : `expected 3 segment dumps, found ${parts.length}: the task calls the marker (process.cpuUsage)`,
      };
    }
    const texts = await Promise.all([1, 2, 3].map((n) => readFile(`${outFile}.${n}`, 'utf8')));
    const totals = texts.map(parseTotalIr);
    const bad = totals.findIndex((t) => !t.ok);
    if (bad >= 0) return { status: 'errored', task, error: `${outFile}.${bad + 1}: ${(totals[bad] as { reason: string }).reason}` };
    const [setupIr, emptyIr, measuredIr] = totals.map((t) => (t as { ir: number }).ir) as [number, number, number];
    const segments = { setupIr, emptyIr, measuredIr };
    const perOp = instructionsPerOp(segments, plan.measuredOps);

    let top: Array<FunctionCost & { share: number }> = [];
    if (options.top > 0) {
      const measuredText = texts[2] as string;
      const pid = /^pid:\s*(\d+)/m.exec(measuredText)?.[1];
      perfMap = pid === undefined ? undefined : `/tmp/perf-${pid}.map`;
      const ranges = perfMap !== undefined && existsSync(perfMap) ? parsePerfMap(await readFile(perfMap, 'utf8')) : [];
      top = topFunctions(nameJitCode(functionCosts(measuredText), ranges), options.top, measuredIr);
    }
    const units = unitsPerOperation(task, size);
    return {
      status: 'ok',
      task,
      size,
      warmupOps: plan.warmupOps,
      measuredOps: plan.measuredOps,
      instructionsPerOp: perOp,
      unit: TASK_SIZES[task].unit,
      instructionsPerUnit: perOp / units,
      segments,
      wallMs: exit.wallMs,
      top,
    };
  } catch (error) {
    return { status: 'errored', task, error: error instanceof Error ? error.message : String(error) };
  } finally {
    await rm(dir, { recursive: true, force: true });
    if (perfMap !== undefined) await rm(perfMap, { force: true });
  }
}
