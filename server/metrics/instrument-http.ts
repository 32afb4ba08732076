import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { LabMetrics } from './lab-metrics.js';

const STANDARD_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE']);

/** Label for requests no route matched: one series, however many junk URLs arrive. */
export const UNMATCHED_PATH = 'unmatched';

export function methodLabel(method: string): string {
  return STANDARD_METHODS.has(method) ? method : 'unknown';
}

/**
 * Go's `InstrumentHandler`, wrapped around the whole app rather than added as Express middleware
 * (a middleware layer alone cost ~2% of zero-work throughput), with the route template as
 * `path` (Go used the raw URL path, so any client could mint new series). Recorded when the
 * response closes: after the last byte is handed to the socket, or when the client goes away.
 */
export function instrumentHttp(metrics: LabMetrics, handler: RequestListener): RequestListener {
  // One labels object per (method, path): bounded by routes x methods, and no allocation per request.
  const labelCache = new Map<string, { method: string; path: string }>();
  const labelsFor = (method: string, path: string) => {
    const key = `${method} ${path}`;
    let labels = labelCache.get(key);
    if (labels === undefined) {
      labels = { method, path };
      labelCache.set(key, labels);
    }
    return labels;
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    const startMs = performance.now();
    res.once('close', () => {
      const labels = labelsFor(methodLabel(req.method ?? ''), routeLabel(req));
      metrics.httpRequestsTotal.inc(labels);
      metrics.httpRequestDurationSeconds.observe(labels, (performance.now() - startMs) / 1000);
      if (res.statusCode >= 500) {
        metrics.httpErrorsTotal.inc({ ...labels, status: String(res.statusCode) });
      }
    });
    handler(req, res);
  };
}

/** Express leaves the matched route on the request; absent means nothing matched. */
function routeLabel(req: IncomingMessage): string {
  const { route, baseUrl } = req as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
  if (route !== undefined && typeof route.path === 'string') return `${baseUrl ?? ''}${route.path}`;
  return UNMATCHED_PATH;
}
