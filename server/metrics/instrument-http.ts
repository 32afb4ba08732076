import type { NextFunction, Request, Response } from 'express';
import type { LabMetrics } from './lab-metrics.js';

const STANDARD_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE']);

/** Label for requests no route matched: one series, however many junk URLs arrive. */
export const UNMATCHED_PATH = 'unmatched';

export function methodLabel(method: string): string {
  return STANDARD_METHODS.has(method) ? method : 'unknown';
}

/**
 * Go's `InstrumentHandler`, with the route template as `path` (Go used the raw URL path, so any
 * client could mint new series). Recorded when the response closes: after the last byte is handed
 * to the socket, or when the client goes away first.
 */
export function instrumentHttp(metrics: LabMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const startMs = performance.now();
    res.once('close', () => {
      const labels = { method: methodLabel(req.method), path: routeLabel(req) };
      metrics.httpRequestsTotal.inc(labels);
      metrics.httpRequestDurationSeconds.observe(labels, (performance.now() - startMs) / 1000);
      if (res.statusCode >= 500) {
        metrics.httpErrorsTotal.inc({ ...labels, status: String(res.statusCode) });
      }
    });
    next();
  };
}

function routeLabel(req: Request): string {
  const route: unknown = req.route;
  if (route !== null && typeof route === 'object' && 'path' in route && typeof route.path === 'string') {
    return `${req.baseUrl}${route.path}`;
  }
  return UNMATCHED_PATH;
}
