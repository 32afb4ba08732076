/**
 * The tasks' size parameters: one zod schema per task with its defaults, so a scenario file can
 * declare sizes later and the CLI can take `--size task.param=value`. Also how many operations
 * each task warms up and counts by default, and the unit of work one operation does. The counted
 * child process never imports this (zod alone costs it ~230 million instructions of start-up).
 */
import { z } from 'zod';

const count = (max: number) => z.number().int().min(1).max(max);
const payload = z.strictObject({ items: count(100_000).default(64), itemBytes: count(1_048_576).default(1024) });

/**
 * `warmupOps` bring the code to its steady JIT tier (TurboFan) before anything is counted;
 * `measuredOps` are counted. Both are per task: a cheap operation needs more calls to be optimized.
 */
export const TASK_SIZES = {
  loop: {
    size: z.strictObject({ iterations: count(100_000_000).default(200_000) }),
    unit: 'iteration',
    warmupOps: 30,
    measuredOps: 10,
  },
  'payload-build': { size: payload, unit: 'byte', warmupOps: 30, measuredOps: 10 },
  'response-encode': { size: payload, unit: 'byte', warmupOps: 30, measuredOps: 10 },
  track: {
    size: z.strictObject({ calls: count(10_000_000).default(1000) }),
    unit: 'call',
    warmupOps: 30,
    measuredOps: 10,
  },
  metrics: {
    size: z.strictObject({ series: count(10_000).default(8) }),
    unit: 'scrape',
    warmupOps: 30,
    measuredOps: 10,
  },
} as const;

export type TaskName = keyof typeof TASK_SIZES;
export const TASK_NAMES = Object.keys(TASK_SIZES) as TaskName[];
export type TaskSize<T extends TaskName> = z.infer<(typeof TASK_SIZES)[T]['size']>;
/** A size as given on the command line: numbers by parameter name, before defaults. */
export type SizeInput = Readonly<Record<string, number>>;

export function isTaskName(name: string): name is TaskName {
  return Object.hasOwn(TASK_SIZES, name);
}

/** A task's size with defaults filled in, or one line naming the bad parameter. */
export function resolveSize(
  task: TaskName,
  input: SizeInput = {},
): { ok: true; size: Record<string, number> } | { ok: false; message: string } {
  const parsed = TASK_SIZES[task].size.safeParse(input);
  if (parsed.success) return { ok: true, size: parsed.data };
  const issue = parsed.error.issues[0];
  const keys = issue?.code === 'unrecognized_keys' ? issue.keys : (issue?.path ?? []);
  const where = keys.length === 0 ? task : `${task}.${keys.map(String).join(',')}`;
  return { ok: false, message: `${where}: ${issue?.message ?? 'invalid size'}` };
}

/** Units of work in one operation (iterations, bytes, calls, scrapes), for a per-unit figure. */
export function unitsPerOperation(task: TaskName, size: Record<string, number>): number {
  switch (task) {
    case 'loop':
      return size['iterations'] ?? 0;
    case 'payload-build':
    case 'response-encode':
      return (size['items'] ?? 0) * (size['itemBytes'] ?? 0);
    case 'track':
      return size['calls'] ?? 0;
    case 'metrics':
      return 1;
  }
}
