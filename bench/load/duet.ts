/**
 * The duet: one request at a time, alternating between the labs (A, B, then B, A, …), each pair
 * sending the same request variant. Every request of one side has a request of the other side a
 * few milliseconds away, so whatever the machine does at that moment (a noisy neighbour, a CPU
 * frequency step) hits both. Measured on a 2-vCPU VM (both labs on one CPU, hot-loop work):
 * per-trial CPU per request differed between the sides by 1.3–3.2% (σ of log ratios) against
 * 17% for trials of a second each run one after the other — and separate CPUs for the two labs
 * were worse, not better (each vCPU has its own neighbours). README, "Pairing".
 *
 * Closed and sequential by design: it measures what each request costs the server (CPU,
 * section times), not latency under load — the open-model trials do that.
 */
import { performance } from 'node:perf_hooks';
import { Http1Pool } from './http1-pool.js';
import { buildRequest } from './request.js';
import type { ParsedResponse } from './http1-response-parser.js';
import type { RequestVariant } from './types.js';
import { createVariantPicker } from './variant-picker.js';

export interface DuetPlan {
  /** One base URL per side (loopback), in side order. */
  baseUrls: readonly string[];
  variants: readonly RequestVariant[];
  durationSeconds: number;
  requestTimeoutMs: number;
  seed: number;
}

export interface DuetSideResult {
  sent: number;
  completed: number;
  /** Non-2xx answers, failed connections and timeouts. */
  errors: number;
}

export interface DuetResult {
  sides: DuetSideResult[];
  /** Rounds completed (each round one request per side). */
  rounds: number;
  durationSeconds: number;
}

interface Pending {
  resolve: (outcome: 'ok' | 'error') => void;
  timer: NodeJS.Timeout;
}

/** Runs the duet until `durationSeconds` have passed (the round in progress finishes) or `signal` aborts. */
export async function runDuet(plan: DuetPlan, signal?: AbortSignal): Promise<DuetResult> {
  const pools = plan.baseUrls.map((baseUrl) => {
    const url = new URL(baseUrl);
    return {
      host: url.host,
      pool: new Http1Pool<Pending>(
        { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port), maxConnections: 1, keepBodyBytes: 0 },
        {
          sent: () => {},
          response: (pending: Pending, response: ParsedResponse) =>
            settle(pending, response.statusCode >= 200 && response.statusCode <= 299 ? 'ok' : 'error'),
          failed: (pending: Pending) => settle(pending, 'error'),
        },
      ),
    };
  });
  const requests = pools.map(({ host }) => plan.variants.map((v) => buildRequest(host, v)));
  const pick = createVariantPicker(
    plan.variants.map((v) => v.weight),
    plan.seed,
  );
  const sides: DuetSideResult[] = plan.baseUrls.map(() => ({ sent: 0, completed: 0, errors: 0 }));
  const send = (side: number, variant: number) =>
    new Promise<'ok' | 'error'>((resolve) => {
      const pending: Pending = {
        resolve,
        timer: setTimeout(() => (pools[side]?.pool.abort(pending), settle(pending, 'error')), plan.requestTimeoutMs),
      };
      (sides[side] as DuetSideResult).sent++;
      pools[side]?.pool.send(pending, requests[side]?.[variant] as Buffer);
    });
  const started = performance.now();
  const endMs = started + plan.durationSeconds * 1000;
  let rounds = 0;
  try {
    while (performance.now() < endMs && !signal?.aborted) {
      const variant = pick();
      const order = sides.map((_, i) => i);
      if (rounds % 2 === 1) order.reverse();
      for (const side of order) {
        const outcome = await send(side, variant);
        const tally = sides[side] as DuetSideResult;
        if (outcome === 'ok') tally.completed++;
        else tally.errors++;
      }
      rounds++;
    }
  } finally {
    for (const { pool } of pools) pool.destroy();
  }
  return { sides, rounds, durationSeconds: (performance.now() - started) / 1000 };
}

function settle(pending: Pending, outcome: 'ok' | 'error'): void {
  clearTimeout(pending.timer);
  pending.resolve(outcome);
}
