import { parsePrometheusText } from '../../prometheus/parse-text.js';
import type { Families } from '../results/server-metrics.js';

/** GETs and parses `/metrics`; throws with a clear message on failure (the caller owns the lab). */
export async function scrapeMetrics(appUrl: string, timeoutMs = 5_000): Promise<Families> {
  const response = await fetch(`${appUrl}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`GET ${appUrl}/metrics answered ${response.status}`);
  const parsed = parsePrometheusText(await response.text());
  if (!parsed.ok) throw new Error(`GET ${appUrl}/metrics: line ${parsed.error.line}: ${parsed.error.message}`);
  return parsed.families;
}
