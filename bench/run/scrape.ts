import { parsePrometheusText } from '../../prometheus/parse-text.js';
import { hdrSnapshotSchema, type HdrSnapshot } from '../results/section-hdr.js';
import type { Families } from '../results/server-metrics.js';

/** GETs and parses a Prometheus text endpoint (`/metrics`); throws with a clear message on failure (the caller owns the target). */
export async function scrapeMetrics(appUrl: string, path = '/metrics', timeoutMs = 5_000): Promise<Families> {
  const response = await fetch(`${appUrl}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`GET ${appUrl}${path} answered ${response.status}`);
  const parsed = parsePrometheusText(await response.text());
  if (!parsed.ok) throw new Error(`GET ${appUrl}${path}: line ${parsed.error.line}: ${parsed.error.message}`);
  return parsed.families;
}

/**
 * The lab's HDR section histograms from its diagnostics server; null when the target has no such
 * endpoint (an older lab, or one without diagnostics): exact section percentiles are then absent.
 */
export async function readHdrSnapshot(diagnosticsUrl: string | null, timeoutMs = 5_000): Promise<HdrSnapshot | null> {
  if (diagnosticsUrl === null) return null;
  const url = `${diagnosticsUrl}/debug/snapshot?format=hdr`;
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  // A lab without the HDR form answers 404/400, or its text table: no exact section percentiles then.
  const json = response.headers.get('content-type')?.startsWith('application/json') ?? false;
  if (response.status === 404 || response.status === 400 || (response.ok && !json)) {
    await response.body?.cancel();
    return null;
  }
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  const parsed = hdrSnapshotSchema.safeParse(await response.json());
  if (!parsed.success) throw new Error(`GET ${url}: not an HDR snapshot (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  return parsed.data;
}
