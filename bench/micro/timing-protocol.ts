/**
 * The contract between the bench and the timing child (`timing-child.ts`): the plan it is started
 * with (argv), and the JSON lines it writes, one per message, on stdout. The bench asks for a
 * trial by writing `{"trial": k}` on the child's stdin; the child exits when stdin ends, so it
 * never outlives the bench.
 */
export interface TimingPlan {
  tasks: Array<{ task: string; size: Record<string, number> }>;
  /** tinybench's time budget per task and trial. */
  secondsPerTrial: number;
  /** Once, before the first trial, per task. */
  warmupSeconds: number;
}

/** One task's wall time in one trial, from tinybench's samples (one sample per operation). */
export interface TaskTiming {
  medianNs: number;
  meanNs: number;
  samples: number;
}

export type TimingMessage =
  /** Set up and warmed up; each task's answer (a digest of what one operation returned; null when it returns nothing). */
  | { type: 'ready'; answers: Record<string, string | null> }
  | { type: 'trial'; trial: number; tasks: Record<string, TaskTiming> }
  | { type: 'error'; message: string };

/** A line from the child, checked by hand: the child side stays free of zod (start-up cost). */
export function parseTimingMessage(line: string): TimingMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  const message = value as Partial<Record<string, unknown>>;
  if (message['type'] === 'ready' && typeof message['answers'] === 'object' && message['answers'] !== null) return value as TimingMessage;
  if (
    message['type'] === 'trial' &&
    typeof message['trial'] === 'number' &&
    typeof message['tasks'] === 'object' &&
    message['tasks'] !== null
  )
    return value as TimingMessage;
  if (message['type'] === 'error' && typeof message['message'] === 'string') return value as TimingMessage;
  return null;
}
