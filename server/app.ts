import express, { type ErrorRequestHandler } from 'express';
import type { RequestListener } from 'node:http';
import { pino, type Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { HistogramChild } from './metrics/fast-metrics.js';
import { createLabMetrics } from './metrics/lab-metrics.js';
import { AdmissionControl } from './work/admission.js';
import { instrumentHttp } from './metrics/instrument-http.js';
import { SectionStats, type HdrSectionSnapshot, type MetricsSnapshot } from './metrics/section-stats.js';
import { createTracker, type SectionObserver, type Track } from './metrics/track.js';
import { createWorkHandler, type WorkRecorder } from './work/handler.js';
import { DEFAULT_LIMITS, GO_DEFAULT_KNOBS, checkKnobs, formatKnobError, type WorkKnobs, type WorkLimits } from './work/knobs.js';
import { seededRandom, unseededRandom } from './work/rng.js';

export interface AppOptions {
  /** Server-wide workload defaults; `seed` seeds the server's RNG stream. Go's values otherwise. */
  knobs?: Partial<WorkKnobs>;
  limits?: Partial<WorkLimits>;
  /** Off: no HTTP or section metrics are recorded (to measure what instrumentation costs). */
  metrics?: boolean;
  /** prom-client's Node runtime collectors (event-loop delay, GC, heap). */
  runtimeMetrics?: boolean;
  /** What GET /metrics serves instead of this registry (cluster workers: all workers, summed). */
  metricsText?: () => Promise<string>;
  logger?: Logger;
}

export interface LabApp {
  /** The instrumented request handler: give it to an HTTP server. */
  app: RequestListener;
  registry: Registry;
  track: Track;
  /** Go's `LogSnapshot` data: in-memory per-section stats and counters. */
  snapshot(): MetricsSnapshot;
  /** The same sections' HDR histograms, encoded, for exact percentiles between two reads. */
  hdrSnapshot(): HdrSectionSnapshot;
  /**
   * Counts a request Node's HTTP parser refused before the app ran (bad method, raw bytes in the
   * URL, headers over 16 KiB): `http_errors_total{method="unparsed",path="unparsed",status}`.
   */
  countUnparsed(status: number): void;
}

/** Builds the lab without listening anywhere, so tests and the bench can embed it. */
export function createApp(options: AppOptions = {}): LabApp {
  const limits: WorkLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const checked = checkKnobs({ ...GO_DEFAULT_KNOBS, ...options.knobs }, limits);
  if (!checked.ok) throw new RangeError(`invalid lab knob ${formatKnobError(checked.error)}`);
  const { seed, ...knobs } = checked.knobs;
  const logger = options.logger ?? pino({ level: 'silent' });
  const metricsEnabled = options.metrics ?? true;
  const metrics = createLabMetrics({ runtimeMetrics: options.runtimeMetrics ?? true });
  const stats = new SectionStats();

  // Series are looked up once per name: these run several times per request.
  const sectionSeries = new Map<string, HistogramChild<'section'>>();
  const operationSeries = new Map<string, HistogramChild<'operation'>>();
  const observeSection: SectionObserver = metricsEnabled
    ? (section, durationMs) => {
        stats.record(section, durationMs);
        let series = sectionSeries.get(section);
        if (series === undefined) sectionSeries.set(section, (series = metrics.sectionDurationSeconds.child({ section })));
        series.observe(durationMs / 1000);
      }
    : () => {};
  const recorder: WorkRecorder = metricsEnabled
    ? {
        loopIterations(iterations) {
          stats.increment('loop_iterations', iterations);
          metrics.workLoopIterationsTotal.inc(iterations);
        },
        jsonEncodeError() {
          stats.increment('json_encode_error');
          metrics.jsonEncodeErrorsTotal.inc();
        },
        businessLatency(operation, durationMs) {
          stats.record(operation, durationMs);
          let series = operationSeries.get(operation);
          if (series === undefined) operationSeries.set(operation, (series = metrics.businessLatencySeconds.child({ operation })));
          series.observe(durationMs / 1000);
        },
        shed() {
          stats.increment('shed_requests');
        },
      }
    : { loopIterations() {}, jsonEncodeError() {}, businessLatency() {}, shed() {} };
  const track = createTracker(observeSection, logger);

  const app = express();
  app.disable('x-powered-by');
  // ETags hash every body: real CPU on MiB payloads that the Go lab never spent.
  app.set('etag', false);

  app.get(
    '/api/work',
    createWorkHandler({
      defaults: { ...knobs, seed: null },
      limits,
      random: seed === null ? unseededRandom() : seededRandom(seed),
      track,
      recorder,
      logger,
      admission: new AdmissionControl(limits),
    }),
  );
  const metricsText = options.metricsText ?? (() => metrics.registry.metrics());
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).end(await metricsText());
  });
  app.get('/healthz', (_req, res) => {
    res.type('application/json').end('{"status":"ok"}');
  });
  // One route per path, so a 405 is counted under its path (an array route has no one path, and
  // was counted as `unmatched`, which the README keeps for 404s).
  for (const path of ['/api/work', '/metrics', '/healthz']) {
    app.all(path, (req, res) => {
      res
        .status(405)
        .set('Allow', 'GET, HEAD')
        .json({
          error: 'method_not_allowed',
          message: `${req.method} is not supported on ${req.path}; use GET`,
        });
    });
  }
  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', message: `no route for ${req.method} ${req.path}` });
  });
  app.use(errorHandler(logger));

  return {
    app: metricsEnabled ? instrumentHttp(metrics, app) : app,
    registry: metrics.registry,
    track,
    snapshot: () => stats.snapshot(),
    hdrSnapshot: () => stats.hdrSnapshot(),
    countUnparsed: (status) => {
      if (metricsEnabled) metrics.httpErrorsTotal.inc({ method: 'unparsed', path: 'unparsed', status: String(status) });
    },
  };
}

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const status = clientErrorStatus(error);
    if (status !== null) {
      res.status(status).json({ error: 'bad_request', message: (error as Error).message });
      return;
    }
    logger.error({ err: error, method: req.method, url: req.url }, 'unhandled error in request');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(500).json({ error: 'internal_error', message: 'internal server error' });
  };
}

/** Errors that Express or body parsers mark as the client's fault (bad URI encoding, etc.). */
function clientErrorStatus(error: unknown): number | null {
  if (error === null || typeof error !== 'object') return null;
  const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}
