import { z } from 'zod';
import { firstIssue } from '../../lib/zod-issue.js';

/**
 * Artillery 2's JSON report (`artillery run --output report.json`), as far as the import reads it:
 * `aggregate` (the whole run) and `intermediate` (one entry per 10 s wall-clock period), each
 * with counters, rates and summaries. Checked with zod when read, so a truncated or foreign file is
 * one line naming the field, never a stack trace. Unknown fields are allowed (plugins add some).
 */

/** A summary of one histogram metric in milliseconds (Artillery 2.0.21: DDSketch quantiles, rounded to 0.1). */
export const artillerySummarySchema = z.object({
  count: z.number().int().nonnegative(),
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  p50: z.number(),
  p75: z.number(),
  p90: z.number(),
  p95: z.number(),
  p99: z.number(),
  p999: z.number(),
});
export type ArtillerySummary = z.infer<typeof artillerySummarySchema>;

const periodSchema = z.object({
  counters: z.record(z.string(), z.number()),
  rates: z.record(z.string(), z.number()).default({}),
  /** Epoch ms of the first and last measurement in the period (from any metric). */
  firstMetricAt: z.number(),
  lastMetricAt: z.number(),
  /** Epoch ms where the period starts (a string in `intermediate`). */
  period: z.union([z.number(), z.string().regex(/^\d+$/, 'expected epoch milliseconds').transform(Number)]),
  summaries: z.record(z.string(), artillerySummarySchema).default({}),
});
export type ArtilleryPeriod = z.infer<typeof periodSchema>;

export const artilleryReportSchema = z.object({
  aggregate: periodSchema,
  intermediate: z.array(periodSchema),
});
export type ArtilleryReport = z.infer<typeof artilleryReportSchema>;

export type ReportParse = { ok: true; report: ArtilleryReport } | { ok: false; reason: string };

/** Parses a report's text; `label` names the file in the one-line reason. */
export function parseArtilleryReport(text: string, label: string): ReportParse {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `${label} is not valid JSON (${(error as Error).message}); is it a complete Artillery --output report?` };
  }
  const parsed = artilleryReportSchema.safeParse(data);
  if (!parsed.success) return { ok: false, reason: `${label}: not an Artillery 2 JSON report: ${firstIssue(parsed.error)}` };
  return { ok: true, report: parsed.data };
}
