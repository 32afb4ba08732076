import { z } from 'zod';

/**
 * What a scenario measures runs as: the built-in lab (the default), or any HTTP service started
 * by a command. Resolved from the scenario file's `target:` block (target-file.ts) with every
 * default applied; stored in results.json, hence a schema.
 */

/** Where the server's own timings come from: any Prometheus text endpoint and the families in it. */
export const serverMetricNamesSchema = z.object({
  /** Path of the Prometheus text endpoint, e.g. `/metrics`. */
  path: z.string(),
  /** The histogram (seconds) of request durations, and the labels selecting the measured requests (series summed). */
  requests: z.object({ histogram: z.string(), labels: z.record(z.string(), z.string()) }),
  /** The histogram (seconds) of section timings, one section per value of `label`. */
  sections: z.object({ histogram: z.string(), label: z.string() }),
  /** A counter of CPU seconds the service used (prom-client's default). */
  cpuCounter: z.string(),
});
export type ServerMetricNames = z.infer<typeof serverMetricNamesSchema>;

/** The lab's families: also the defaults for any target (prom-client and the lab share them). */
export const LAB_METRIC_NAMES: ServerMetricNames = {
  path: '/metrics',
  requests: { histogram: 'http_request_duration_seconds', labels: { path: '/api/work' } },
  sections: { histogram: 'section_duration_seconds', label: 'section' },
  cpuCounter: 'process_cpu_seconds_total',
};

export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR2', 'SIGKILL'] as const;

export const readinessSchema = z.discriminatedUnion('kind', [
  /** An HTTP GET of `path` answers 2xx. */
  z.object({ kind: z.literal('http'), path: z.string(), timeoutSeconds: z.number() }),
  /** A line of its output (stdout or stderr) matches `pattern` (a regular expression). */
  z.object({ kind: z.literal('log'), pattern: z.string(), timeoutSeconds: z.number() }),
  /** Its port accepts a TCP connection. */
  z.object({ kind: z.literal('port'), timeoutSeconds: z.number() }),
]);
export type Readiness = z.infer<typeof readinessSchema>;

export const commandTargetSchema = z.object({
  kind: z.literal('command'),
  /** Run once per side before anything starts (argv, no shell); null: nothing to build. */
  build: z.array(z.string()).nullable(),
  /** argv; `{port}` anywhere in an argument becomes the port it must listen on (also in `PORT`). */
  command: z.array(z.string()).min(1),
  /** Relative to the project (the directory the bench runs in; in --against runs, the same folder of the ref's worktree). */
  cwd: z.string(),
  /** Added to the bench's environment; `{port}` is substituted here too. */
  env: z.record(z.string(), z.string()),
  ready: readinessSchema,
  stop: z.object({ signal: z.enum(STOP_SIGNALS), graceSeconds: z.number() }),
  /** Null when the service exposes no metrics: client-side measurements only. */
  metrics: serverMetricNamesSchema.nullable(),
});
export type CommandTarget = z.infer<typeof commandTargetSchema>;

export const targetSpecSchema = z.discriminatedUnion('kind', [z.object({ kind: z.literal('lab') }), commandTargetSchema]);
export type TargetSpec = z.infer<typeof targetSpecSchema>;

export const LAB_TARGET: TargetSpec = { kind: 'lab' };

/** The server-side families a target is read with; null when it exposes none. */
export function metricNamesOf(target: TargetSpec): ServerMetricNames | null {
  return target.kind === 'lab' ? LAB_METRIC_NAMES : target.metrics;
}

/** How messages name what runs: "lab" or "target". */
export function targetNoun(target: TargetSpec): string {
  return target.kind === 'lab' ? 'lab' : 'target';
}
