import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express, { type ErrorRequestHandler, type Express, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { formatSnapshotTable } from '../metrics/snapshot-table.js';
import type { HdrSectionSnapshot, MetricsSnapshot } from '../metrics/section-stats.js';
import type { CaptureWindow } from './capture-window.js';
import { abortWhenClientLeaves } from './client-abort.js';
import { captureCpuProfile } from './cpu-profile.js';
import { captureFileName, contentDisposition } from './file-name.js';
import { captureHeapProfile, heapSnapshotStream } from './heap-profile.js';
import { renderIndexPage } from './index-page.js';
import { HEAP_SAMPLING_INTERVAL_BYTES } from './limits.js';
import {
  formatParamError,
  parseGoroutineRequest,
  parseHeapRequest,
  parseProfileRequest,
  parseTraceRequest,
  type ParamError,
  type ParamResult,
} from './params.js';
import { cpuProfileToPprof, encodeGzippedPprof, heapProfileToPprof } from './pprof-encode.js';
import { ProfilerLock, formatBusy, type CaptureKind } from './profiler-lock.js';
import { collectRuntimeState, formatRuntimeState } from './runtime-state.js';
import { captureTrace } from './trace.js';
import { traceJsonChunks } from './trace-events.js';

export { DIAGNOSTICS_TIMEOUTS } from './limits.js';

export interface DiagnosticsOptions {
  logger: Logger;
  snapshot: () => MetricsSnapshot;
  /** `/debug/snapshot?format=hdr`; absent (a 400 naming the formats) where the process keeps none (cluster primary). */
  hdrSnapshot?: () => HdrSectionSnapshot;
  /** Aborted when the server shuts down: running captures end early and deliver what they have. */
  stopCaptures?: AbortSignal;
}

const PPROF_TYPE = 'application/octet-stream';

/** The diagnostics server's routes: Go's /debug/pprof/* for a live Node process. */
export function createDiagnosticsApp(options: DiagnosticsOptions): Express {
  const { logger } = options;
  const lock = new ProfilerLock();
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Go's index lives at /debug/pprof/ exactly; without strict routing the redirect would loop.
  app.enable('strict routing');

  /** Holds the profiler for one capture (409 if it is taken) and frees it however the capture ends. */
  const withProfiler = async (
    res: Response,
    kind: CaptureKind,
    seconds: number,
    run: (window: CaptureWindow) => Promise<'delivered' | 'cancelled'>,
  ) => {
    const acquired = lock.tryAcquire(kind, seconds * 1000);
    if (acquired.status === 'busy') {
      res
        .status(409)
        .set('Retry-After', String(Math.max(1, Math.ceil(acquired.busy.remainingMs / 1000))))
        .json({ error: 'profiler_busy', message: formatBusy(acquired.busy), running: acquired.busy.kind });
      return;
    }
    const window: CaptureWindow = { durationMs: seconds * 1000, cancel: abortWhenClientLeaves(res) };
    if (options.stopCaptures) window.stopEarly = options.stopCaptures;
    logger.info({ event: 'capture_started', kind, seconds }, `diagnostics: ${kind} capture started for ${seconds} s`);
    const startedMs = performance.now();
    try {
      const outcome = await run(window);
      const fields = { event: `capture_${outcome}`, kind, seconds, elapsed_ms: Math.round(performance.now() - startedMs) };
      if (outcome === 'cancelled') logger.info(fields, `diagnostics: ${kind} capture cancelled: the client disconnected`);
      else logger.info(fields, `diagnostics: ${kind} capture delivered`);
    } finally {
      acquired.lease.release();
    }
  };

  app.get('/debug/pprof', (_req, res) => res.redirect(301, '/debug/pprof/'));
  app.get('/debug/pprof/', (req, res) => {
    res.type('text/html').send(renderIndexPage(`${req.protocol}://${req.get('host') ?? '127.0.0.1'}`));
  });

  app.get('/debug/pprof/profile', async (req, res) => {
    const request = parsed(parseProfileRequest(query(req)), res);
    if (!request) return;
    await withProfiler(res, 'cpu', request.seconds, async (window) => {
      const capture = await captureCpuProfile(window);
      if (capture.status === 'cancelled') return 'cancelled';
      const name = (extension: string) => captureFileName('cpu', capture.startedEpochMs, extension, request.seconds);
      setCaptureHeaders(res, capture);
      if (request.format === 'cpuprofile') {
        res
          .type('application/json')
          .set('Content-Disposition', contentDisposition(name('.cpuprofile')))
          .send(JSON.stringify(capture.value));
      } else {
        const body = await encodeGzippedPprof(cpuProfileToPprof(capture.value, { startedEpochMs: capture.startedEpochMs }));
        res
          .type(PPROF_TYPE)
          .set('Content-Disposition', contentDisposition(name('.pb.gz')))
          .send(body);
      }
      return 'delivered';
    });
  });

  app.get('/debug/pprof/heap', async (req, res) => {
    const request = parsed(parseHeapRequest(query(req)), res);
    if (!request) return;
    if (request.format === 'heapsnapshot') {
      await withProfiler(res, 'heapsnapshot', 0, async () => {
        const name = captureFileName('heap', Date.now(), '.heapsnapshot');
        res.type('application/json').set('Content-Disposition', contentDisposition(name));
        return streamOut(heapSnapshotStream(), res);
      });
      return;
    }
    await withProfiler(res, 'heap', request.seconds, async (window) => {
      const capture = await captureHeapProfile(window, {
        mode: request.mode,
        gc: request.gc,
        samplingIntervalBytes: HEAP_SAMPLING_INTERVAL_BYTES,
      });
      if (capture.status === 'cancelled') return 'cancelled';
      const profile = heapProfileToPprof(capture.value, {
        startedEpochMs: capture.startedEpochMs,
        durationMs: capture.elapsedMs,
        mode: request.mode,
        samplingIntervalBytes: HEAP_SAMPLING_INTERVAL_BYTES,
      });
      const name = captureFileName('heap', capture.startedEpochMs, `-${request.mode}.pb.gz`, request.seconds);
      setCaptureHeaders(res, capture);
      res
        .type(PPROF_TYPE)
        .set('Content-Disposition', contentDisposition(name))
        .send(await encodeGzippedPprof(profile));
      return 'delivered';
    });
  });

  app.get('/debug/pprof/trace', async (req, res) => {
    const request = parsed(parseTraceRequest(query(req)), res);
    if (!request) return;
    await withProfiler(res, 'trace', request.seconds, async (window) => {
      const capture = await captureTrace(window, { categories: request.categories });
      if (capture.status === 'cancelled') return 'cancelled';
      const name = captureFileName('trace', capture.startedEpochMs, '.json', request.seconds);
      setCaptureHeaders(res, capture);
      res.type('application/json').set('Content-Disposition', contentDisposition(name));
      return streamOut(Readable.from(traceJsonChunks(capture.value)), res);
    });
  });

  app.get('/debug/pprof/goroutine', (req, res) => {
    const request = parsed(parseGoroutineRequest(query(req)), res);
    if (!request) return;
    const state = collectRuntimeState();
    const name = (extension: string) => captureFileName('goroutine', Date.now(), extension);
    if (request.format === 'json') {
      res.set('Content-Disposition', contentDisposition(name('.json'), 'inline')).json(state);
    } else {
      res
        .type('text/plain')
        .set('Content-Disposition', contentDisposition(name('.txt'), 'inline'))
        .send(formatRuntimeState(state));
    }
  });

  app.get('/debug/pprof/cmdline', (_req, res) => {
    // Go separates arguments with NUL bytes.
    res
      .type('text/plain')
      .set('Content-Disposition', contentDisposition(captureFileName('cmdline', Date.now(), '.txt'), 'inline'))
      .send([process.execPath, ...process.execArgv, ...process.argv.slice(1)].join('\0'));
  });
  app.get('/debug/snapshot', (req, res) => {
    const format = query(req).getAll('format');
    const formats = options.hdrSnapshot ? ['text', 'json', 'hdr'] : ['text', 'json'];
    if (format.length > 1 || (format[0] !== undefined && !formats.includes(format[0]))) {
      res.status(400).json({
        error: 'invalid_parameter',
        message: `format: expected one of ${formats.join(', ')}, got ${JSON.stringify(format.length > 1 ? format : format[0])}`,
        parameter: 'format',
      });
      return;
    }
    if (format[0] === 'hdr' && options.hdrSnapshot) res.json(options.hdrSnapshot());
    else if (format[0] === 'json') res.json(options.snapshot());
    else res.type('text/plain').send(`${formatSnapshotTable(options.snapshot())}\n`);
  });
  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', message: `no diagnostics endpoint ${req.path}; see /debug/pprof/` });
  });
  app.use(errorHandler(logger));
  return app;
}

function query(req: Request): URLSearchParams {
  const start = req.url.indexOf('?');
  return new URLSearchParams(start < 0 ? '' : req.url.slice(start + 1));
}

/** The value, or null after answering 400 with the parameter, what was expected and what came. */
function parsed<T>(result: ParamResult<T>, res: Response): T | null {
  if (result.ok) return result.value;
  const error: ParamError = result.error;
  res.status(400).json({ error: 'invalid_parameter', message: formatParamError(error), ...error });
  return null;
}

function setCaptureHeaders(res: Response, capture: { elapsedMs: number; stoppedEarly: boolean }): void {
  res.set('X-Capture-Elapsed-Ms', String(Math.round(capture.elapsedMs)));
  // A shutdown cut the window short; the data covers only the elapsed part.
  if (capture.stoppedEarly) res.set('X-Capture-Stopped-Early', 'true');
}

/** Streams a body; a client that leaves mid-stream is a cancellation, not an error. */
async function streamOut(source: Readable, res: Response): Promise<'delivered' | 'cancelled'> {
  try {
    await pipeline(source, res);
    return 'delivered';
  } catch (error) {
    if (res.destroyed && !res.writableFinished) return 'cancelled';
    throw error;
  }
}

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    logger.error({ err: error, url: req.url }, 'diagnostics: request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(500).json({ error: 'internal_error', message: `diagnostics capture failed: ${(error as Error).message}` });
  };
}
