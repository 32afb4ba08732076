import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { LabeledCounter, LabeledHistogram } from './fast-metrics.js';

/** Go's `prometheus.DefBuckets`, spelled out so the parity is visible. */
export const HTTP_DURATION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const SECTION_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2];
export const BUSINESS_BUCKETS_SECONDS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5];

export const HTTP_LABELS = ['method', 'path'] as const;
export const HTTP_ERROR_LABELS = ['method', 'path', 'status'] as const;

/** The Go lab's metric families (same names, labels and buckets), on a registry of their own. */
export interface LabMetrics {
  registry: Registry;
  httpRequestsTotal: LabeledCounter<(typeof HTTP_LABELS)[number]>;
  httpErrorsTotal: LabeledCounter<(typeof HTTP_ERROR_LABELS)[number]>;
  httpRequestDurationSeconds: LabeledHistogram<(typeof HTTP_LABELS)[number]>;
  sectionDurationSeconds: LabeledHistogram<'section'>;
  businessLatencySeconds: LabeledHistogram<'operation'>;
  workLoopIterationsTotal: Counter;
  jsonEncodeErrorsTotal: Counter;
}

export interface LabMetricsOptions {
  /** prom-client's Node runtime collectors: event-loop delay, GC, heap, handles. */
  runtimeMetrics: boolean;
}

export function createLabMetrics(options: LabMetricsOptions): LabMetrics {
  const registry = new Registry();
  const registers = [registry];
  const metrics: LabMetrics = {
    registry,
    httpRequestsTotal: new LabeledCounter({
      name: 'http_requests_total',
      help: 'Total number of HTTP requests, partitioned by method and path.',
      labelNames: HTTP_LABELS,
      registers,
    }),
    httpErrorsTotal: new LabeledCounter({
      name: 'http_errors_total',
      help: 'Total number of HTTP errors by method, path, and status.',
      labelNames: HTTP_ERROR_LABELS,
      registers,
    }),
    httpRequestDurationSeconds: new LabeledHistogram({
      name: 'http_request_duration_seconds',
      help: 'Observed HTTP request duration.',
      labelNames: HTTP_LABELS,
      buckets: HTTP_DURATION_BUCKETS_SECONDS,
      registers,
    }),
    sectionDurationSeconds: new LabeledHistogram({
      name: 'section_duration_seconds',
      help: 'Latency for custom code sections recorded via track().',
      labelNames: ['section'] as const,
      buckets: SECTION_BUCKETS_SECONDS,
      registers,
    }),
    businessLatencySeconds: new LabeledHistogram({
      name: 'business_latency_seconds',
      help: 'High-level latency per logical business operation.',
      labelNames: ['operation'] as const,
      buckets: BUSINESS_BUCKETS_SECONDS,
      registers,
    }),
    workLoopIterationsTotal: new Counter({
      name: 'work_loop_iterations_total',
      help: 'Total simulated CPU loop iterations across all requests.',
      registers,
    }),
    jsonEncodeErrorsTotal: new Counter({
      name: 'json_encode_errors_total',
      help: 'Number of JSON encoding failures inside handlers.',
      registers,
    }),
  };
  if (options.runtimeMetrics) collectDefaultMetrics({ register: registry });
  return metrics;
}

/** The lab's own families: what `promtool check metrics` and the parity tests look at. */
export const LAB_METRIC_NAMES = [
  'http_requests_total',
  'http_errors_total',
  'http_request_duration_seconds',
  'section_duration_seconds',
  'business_latency_seconds',
  'work_loop_iterations_total',
  'json_encode_errors_total',
] as const;
