import { z } from 'zod';
import { answerSpecSchema } from '../answers/answer.js';
import { requestFieldsSchema } from './request.js';

/** A dispatch this far behind its intended time was the generator's fault, not the server's. */
export const DEFAULT_LATE_THRESHOLD_MS = 5;

// Generous bounds that still keep any one plan finite in time, memory and sockets.
const MAX_DURATION_SECONDS = 3600;
const MAX_REQUEST_TIMEOUT_MS = 120_000;
const MAX_RATE_RPS = 200_000;
const MAX_CONNECTIONS = 1024;
const MAX_OPEN_REQUESTS = 20_000_000;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

const variantSchema = z
  .object({
    name: z.string().min(1, 'expected a non-empty name'),
    path: z.string().startsWith('/', 'expected a path starting with "/"'),
    /** Relative weight in the mix; weights need not sum to 1. */
    weight: z.number().min(0, 'expected a weight >= 0').finite(),
    ...requestFieldsSchema,
    /** The generic answer to tally (bench/answers); absent: the lab's checksum and payload digest only. */
    answer: answerSpecSchema.optional(),
  })
  .strict();

const common = {
  /** e.g. http://127.0.0.1:41234 (loopback only). */
  baseUrl: z.string().refine(isLoopbackHttpUrl, 'expected an http:// URL on 127.0.0.1, [::1] or localhost'),
  variants: z
    .array(variantSchema)
    .min(1, 'expected at least one variant')
    .refine((variants) => variants.some((v) => v.weight > 0), 'expected at least one variant with weight > 0')
    .refine((variants) => new Set(variants.map((v) => v.name)).size === variants.length, 'expected unique variant names'),
  /** Length of the measured window. Requests still running at its end are awaited (bounded). */
  durationSeconds: z.number().positive('expected a number > 0').max(MAX_DURATION_SECONDS, `expected at most ${MAX_DURATION_SECONDS}`),
  /** A request slower than this is aborted and counted as a timeout. */
  requestTimeoutMs: z.number().positive('expected a number > 0').max(MAX_REQUEST_TIMEOUT_MS, `expected at most ${MAX_REQUEST_TIMEOUT_MS}`),
  /** Seeds the variant picker so a plan always sends the same sequence of variants. */
  seed: z.number().int('expected an integer'),
};

const connectionCount = z
  .number()
  .int('expected an integer')
  .min(1, 'expected at least 1')
  .max(MAX_CONNECTIONS, `expected at most ${MAX_CONNECTIONS}`);

const openSchema = z
  .object({
    model: z.literal('open'),
    rateRps: z.number().positive('expected a number > 0').max(MAX_RATE_RPS, `expected at most ${MAX_RATE_RPS}`),
    /** Upper bound on concurrent connections; requests beyond it queue (and that queueing is latency). */
    maxConnections: connectionCount,
    /** A dispatch later than this behind its intended time counts as a late send; default 5 ms. */
    lateThresholdMs: z.number().positive('expected a number > 0').optional(),
    ...common,
  })
  .strict()
  .refine((plan) => plan.rateRps * plan.durationSeconds <= MAX_OPEN_REQUESTS, {
    message: `expected rateRps * durationSeconds <= ${MAX_OPEN_REQUESTS}`,
    path: ['rateRps'],
  });

const closedSchema = z.object({ model: z.literal('closed'), connections: connectionCount, ...common }).strict();

const planSchema = z.discriminatedUnion('model', [openSchema, closedSchema]);

/** One kind of request in a mix, e.g. `/api/work?loop_iterations=5000000`; path and query are appended to the plan's `baseUrl`. */
export type RequestVariant = z.infer<typeof variantSchema>;
/** Constant arrival rate (wrk2's model): latency is measured from each request's intended send time. */
export type OpenPlan = z.infer<typeof openSchema>;
/** Fixed connections, each sending its next request as soon as the previous one answers. */
export type ClosedPlan = z.infer<typeof closedSchema>;
export type LoadPlan = OpenPlan | ClosedPlan;

export type PlanParse = { ok: true; plan: LoadPlan } | { ok: false; message: string };

/** Validates an untrusted plan (it arrives over IPC) into a `LoadPlan`, or one line saying why not. */
export function parseLoadPlan(input: unknown): PlanParse {
  const parsed = planSchema.safeParse(input);
  if (parsed.success) return { ok: true, plan: withoutUndefined(parsed.data) };
  const [first, ...rest] = parsed.error.issues;
  if (first === undefined) return { ok: false, message: 'plan: invalid' };
  return { ok: false, message: `${describeIssue(first, input)}${rest.length > 0 ? ` (and ${rest.length} more)` : ''}` };
}

export function lateThresholdMsOf(plan: LoadPlan): number {
  return plan.model === 'open' ? (plan.lateThresholdMs ?? DEFAULT_LATE_THRESHOLD_MS) : DEFAULT_LATE_THRESHOLD_MS;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const path = ['plan', ...issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))].join('');
  if (issue.code === 'unrecognized_keys') return `${path}: ${issue.message}`;
  const found = valueAt(input, issue.path);
  // zod's own type message also names what it received; ours says it once, with the value.
  const expected =
    issue.code === 'invalid_type' && issue.message.startsWith('Invalid input') ? `expected ${issue.expected}` : issue.message;
  return `${path}: ${expected}, found ${found.present ? render(found.value) : 'nothing'}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): { present: boolean; value: unknown } {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !(key in current)) return { present: false, value: undefined };
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return { present: true, value: current };
}

function render(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function isLoopbackHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname) && url.pathname === '/' && url.search === '';
  } catch {
    return false;
  }
}

/** zod gives `lateThresholdMs: undefined` for nothing; `exactOptionalPropertyTypes` wants it absent. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
