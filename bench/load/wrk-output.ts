/**
 * Reads the summary `wrk --latency` prints (wrk 4.x), for comparing our generator with it.
 * wrk's latency runs from each request's actual write (a closed loop), in its own units.
 */

export interface WrkSummary {
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  meanMs: number;
  maxMs: number;
  p50Ms: number;
  p75Ms: number;
  p90Ms: number;
  p99Ms: number;
  non2xx3xx: number;
  socketErrors: { connect: number; read: number; write: number; timeout: number };
}

export type WrkParse = { ok: true; summary: WrkSummary } | { ok: false; reason: string };

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const TIME = String.raw`([\d.]+)(us|ms|s|m|h)`;

export function parseWrkOutput(text: string): WrkParse {
  const latencyLine = new RegExp(String.raw`^\s*Latency\s+${TIME}\s+${TIME}\s+${TIME}`, 'm').exec(text);
  const totals = /^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h),/m.exec(text);
  const rate = /^Requests\/sec:\s+([\d.]+)/m.exec(text);
  const percentile = (p: number) => {
    const match = new RegExp(String.raw`^\s*${p}(?:\.0+)?%\s+${TIME}\s*$`, 'm').exec(text);
    return match ? toMs(match[1], match[2]) : null;
  };
  const p50 = percentile(50);
  const p75 = percentile(75);
  const p90 = percentile(90);
  const p99 = percentile(99);
  if (!latencyLine || !totals || !rate || p50 === null || p75 === null || p90 === null || p99 === null) {
    const firstLine = text.split('\n').find((line) => line.trim() !== '') ?? '';
    return { ok: false, reason: `wrk output without a --latency summary: ${firstLine.trim() || 'empty'}` };
  }
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  return {
    ok: true,
    summary: {
      requests: Number(totals[1]),
      durationSeconds: toMs(totals[2], totals[3]) / 1000,
      requestsPerSecond: Number(rate[1]),
      meanMs: toMs(latencyLine[1], latencyLine[2]),
      maxMs: toMs(latencyLine[5], latencyLine[6]),
      p50Ms: p50,
      p75Ms: p75,
      p90Ms: p90,
      p99Ms: p99,
      non2xx3xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0),
      socketErrors: {
        connect: Number(socket?.[1] ?? 0),
        read: Number(socket?.[2] ?? 0),
        write: Number(socket?.[3] ?? 0),
        timeout: Number(socket?.[4] ?? 0),
      },
    },
  };
}

function toMs(value: string | undefined, unit: string | undefined): number {
  return Number(value) * (UNIT_MS[unit ?? ''] ?? Number.NaN);
}
