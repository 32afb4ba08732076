/**
 * The JSON argument of the counted child process, and its check. Hand-written rather than zod:
 * the child must not import zod (start-up under valgrind), and the parent has already resolved
 * and validated the size.
 */
export interface ChildPlan {
  task: string;
  size: Record<string, number>;
  /** Operations before anything is counted, so the code reaches its steady JIT tier. */
  warmupOps: number;
  /** Operations in the counted segment. */
  measuredOps: number;
}

const isCount = (value: unknown, min: number): value is number => Number.isSafeInteger(value) && (value as number) >= min;

export function parseChildPlan(text: string | undefined): { ok: true; plan: ChildPlan } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(text ?? '');
  } catch {
    return { ok: false, message: `expected one JSON argument, got ${JSON.stringify(text)}` };
  }
  const plan = json as Partial<ChildPlan> | null;
  if (typeof plan !== 'object' || plan === null) return { ok: false, message: 'expected a JSON object' };
  if (typeof plan.task !== 'string') return { ok: false, message: 'task: expected a string' };
  const size = plan.size as unknown;
  if (typeof size !== 'object' || size === null || !Object.values(size).every((v) => Number.isFinite(v))) {
    return { ok: false, message: 'size: expected an object of numbers' };
  }
  if (!isCount(plan.warmupOps, 0)) return { ok: false, message: 'warmupOps: expected an integer >= 0' };
  if (!isCount(plan.measuredOps, 1)) return { ok: false, message: 'measuredOps: expected an integer >= 1' };
  return {
    ok: true,
    plan: { task: plan.task, size: size as Record<string, number>, warmupOps: plan.warmupOps, measuredOps: plan.measuredOps },
  };
}
