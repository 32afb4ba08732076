import { z } from 'zod';
import { LAB_METRIC_NAMES, STOP_SIGNALS, type CommandTarget } from './target-spec.js';

/**
 * The `target:` block of a scenario file, as written (snake_case). Absent: the built-in lab.
 * `toTargetSpec` applies the defaults; scenario/schema.ts embeds this schema.
 */

const argv = z.array(z.string().min(1)).min(1).max(256);
const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'a Prometheus label name like "route"');
const metricName = z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'a Prometheus metric name like "http_request_duration_seconds"');
const httpPath = z.string().regex(/^\/[^#\s]*$/, 'a path starting with "/"');

const ready = z
  .strictObject({
    http: httpPath.describe('GET this path until it answers 2xx').optional(),
    log: z.string().min(1).describe('wait for a line of output matching this regular expression').optional(),
    timeout_seconds: z.number().positive().max(600).default(30),
  })
  .superRefine((value, ctx) => {
    if (value.http !== undefined && value.log !== undefined)
      ctx.addIssue({ code: 'custom', path: ['log'], message: 'give http or log, not both' });
    if (value.log !== undefined) {
      try {
        new RegExp(value.log);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['log'], message: `not a regular expression: ${(error as Error).message}` });
      }
    }
  });

const metrics = z.strictObject({
  requests: z
    .strictObject({
      histogram: metricName.default(LAB_METRIC_NAMES.requests.histogram),
      labels: z.record(labelName, z.string()).default({}),
    })
    .optional(),
  sections: z
    .strictObject({
      histogram: metricName.default(LAB_METRIC_NAMES.sections.histogram),
      label: labelName.default(LAB_METRIC_NAMES.sections.label),
    })
    .optional(),
  cpu_counter: metricName.default(LAB_METRIC_NAMES.cpuCounter),
});

export const targetFileSchema = z.strictObject({
  build: argv.describe('build command (argv, no shell), run once per side before the run').optional(),
  command: argv.describe('start command (argv, no shell); "{port}" becomes the port to listen on, also given as PORT'),
  cwd: z.string().min(1).default('.'),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'), z.string()).default({}),
  ready: ready.optional(),
  stop: z
    .strictObject({
      signal: z.enum(STOP_SIGNALS).default('SIGTERM'),
      grace_seconds: z.number().min(0).max(300).default(5),
    })
    .default({ signal: 'SIGTERM', grace_seconds: 5 }),
  metrics_path: httpPath.describe('a Prometheus text endpoint, e.g. /metrics').optional(),
  metrics: metrics.optional(),
});
export type TargetFile = z.infer<typeof targetFileSchema>;

/**
 * What a scenario with a target may not say (pure): family names without an endpoint, the lab's
 * knobs, requests without a path. Paths are the scenario file's.
 */
export function targetIssues(
  target: TargetFile,
  server: Readonly<Record<string, unknown>>,
  requests: ReadonlyArray<{ path?: string | undefined }> | undefined,
): Array<{ path: Array<string | number>; message: string }> {
  const issues: Array<{ path: Array<string | number>; message: string }> = [];
  if (target.metrics !== undefined && target.metrics_path === undefined)
    issues.push({
      path: ['target', 'metrics'],
      message: 'metrics: names families of the metrics endpoint; set metrics_path too (e.g. /metrics)',
    });
  if (Object.keys(server).length > 0)
    issues.push({ path: ['server'], message: "server: sets the built-in lab's knobs; a target: is configured by its command and env" });
  if (requests === undefined) issues.push({ path: ['requests'], message: 'a target: needs requests: (what to send it, each with a path)' });
  requests?.forEach((request, index) => {
    if (request.path === undefined)
      issues.push({ path: ['requests', index, 'path'], message: 'is required for a target: (a path like "/")' });
  });
  return issues;
}

export function toTargetSpec(file: TargetFile): CommandTarget {
  const readyTimeout = file.ready?.timeout_seconds ?? 30;
  return {
    kind: 'command',
    build: file.build ?? null,
    command: file.command,
    cwd: file.cwd,
    env: file.env,
    // Without a stated readiness: the metrics endpoint answering, else the port accepting connections.
    ready:
      file.ready?.log !== undefined
        ? { kind: 'log', pattern: file.ready.log, timeoutSeconds: readyTimeout }
        : file.ready?.http !== undefined || file.metrics_path !== undefined
          ? { kind: 'http', path: (file.ready?.http ?? file.metrics_path) as string, timeoutSeconds: readyTimeout }
          : { kind: 'port', timeoutSeconds: readyTimeout },
    stop: { signal: file.stop.signal, graceSeconds: file.stop.grace_seconds },
    metrics:
      file.metrics_path === undefined
        ? null
        : {
            path: file.metrics_path,
            requests: file.metrics?.requests ?? { histogram: LAB_METRIC_NAMES.requests.histogram, labels: {} },
            sections: file.metrics?.sections ?? LAB_METRIC_NAMES.sections,
            cpuCounter: file.metrics?.cpu_counter ?? LAB_METRIC_NAMES.cpuCounter,
          },
  };
}
