import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Http1Pool } from './http1-pool.js';
import { buildRequest } from './request.js';
import type { ParsedResponse } from './http1-response-parser.js';
import { lateThresholdMsOf } from './plan.js';
import { answerDigest, MAX_ANSWER_BODY_BYTES, needsBody } from '../answers/answer.js';
import { extractResponseFacts, FACTS_HEAD_BYTES } from './response-facts.js';
import {
  createLedger,
  createSchedule,
  elapsedMicros,
  intendedTimeMs,
  planTick,
  recordDispatch,
  type LatenessLedger,
  type OpenSchedule,
} from './schedule.js';
import { buildResult, createTally, errorCount, tallyFailure, tallyResponse, tallySent, type Tally } from './tally.js';
import type { ClosedPlan, LoadPlan, LoadResult, OpenPlan } from './types.js';
import { createVariantPicker } from './variant-picker.js';

/**
 * Runs one plan in this process over a keep-alive HTTP/1.1 connection pool (http1-pool.ts).
 * Meant for the load worker process (see worker.ts): never run it on the event loop of the
 * server being measured.
 */

export interface LoadProgress {
  sent: number;
  completed: number;
  errors: number;
  elapsedSeconds: number;
}

export interface GeneratorOptions {
  onProgress?: (progress: LoadProgress) => void;
  progressIntervalMs?: number;
}

/**
 * Node's timers fire up to ~1 ms late (libuv keeps time in whole ms), and that lateness would be
 * added to every open-model latency. So the generator sleeps until ~1 ms before a send is due
 * and then polls with setImmediate, which keeps serving I/O while it waits. The price is CPU:
 * about 1 ms of polling per send, so from ~800 req/s on the generator's core is always busy.
 */
const SPIN_MARGIN_MS = 1;
/** A closed-model connection that failed waits this long before its next request, not a hot loop. */
const RETRY_AFTER_CONNECTION_ERROR_MS = 10;

const now = () => performance.now();

/** One request on its way. */
interface Flight {
  variant: number;
  /** The open model's intended send time; null in the closed model, which times from the send. */
  intendedMs: number | null;
  /** When the request was written on a connection (after any wait for a free one). */
  sentMs: number;
  deadlineMs: number;
}

const isSuccess = (statusCode: number) => statusCode >= 200 && statusCode <= 299;

export function runPlan(plan: LoadPlan, options: GeneratorOptions = {}): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    try {
      const run = new Run(plan, options, resolve);
      run.start();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

class Run {
  private readonly tally: Tally;
  private readonly pick: () => number;
  private readonly pool: Http1Pool<Flight>;
  private readonly requestBytes: Buffer[];
  /** Insertion-ordered, so in dispatch order, so in deadline order. */
  private readonly inFlight = new Set<Flight>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly lateThresholdMs: number;
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });
  private startMs = 0;
  private startCpu: NodeJS.CpuUsage = { user: 0, system: 0 };
  private windowEndMs = 0;
  private windowClosed = false;
  private windowClosedAtMs = 0;
  private finished = false;
  private immediate: NodeJS.Immediate | null = null;
  // Open model only.
  private schedule: OpenSchedule | null = null;
  private readonly ledger: LatenessLedger;
  private nextIndex = 0;
  private dropped = 0;

  constructor(
    private readonly plan: LoadPlan,
    private readonly options: GeneratorOptions,
    private readonly resolve: (result: LoadResult) => void,
  ) {
    this.tally = createTally(plan.variants.map((v) => v.name));
    this.pick = createVariantPicker(
      plan.variants.map((v) => v.weight),
      plan.seed,
    );
    const base = new URL(plan.baseUrl);
    this.pool = new Http1Pool<Flight>(
      {
        host: base.hostname.replace(/^\[|\]$/g, ''),
        port: base.port === '' ? 80 : Number(base.port),
        maxConnections: plan.model === 'open' ? plan.maxConnections : plan.connections,
        // Whole bodies (bounded) only when some kind digests its body; else the lab's facts' head.
        keepBodyBytes: plan.variants.some((v) => needsBody(v.answer)) ? MAX_ANSWER_BODY_BYTES : FACTS_HEAD_BYTES,
      },
      {
        sent: (flight, atMs) => (flight.sentMs = atMs),
        response: (flight, response, atMs) => this.completed(flight, response, atMs),
        failed: (flight) => this.failed(flight, 'connection'),
      },
    );
    this.requestBytes = plan.variants.map((v) => buildRequest(base.host, v));
    this.lateThresholdMs = lateThresholdMsOf(plan);
    this.ledger = createLedger(this.lateThresholdMs);
  }

  start(): void {
    this.startMs = now();
    this.startCpu = process.cpuUsage();
    this.windowEndMs = this.startMs + this.plan.durationSeconds * 1000;
    if (this.plan.model === 'closed') this.loopDelay.enable();
    const sweepMs = Math.max(5, Math.min(50, this.plan.requestTimeoutMs / 10));
    this.every(sweepMs, () => this.sweepTimeouts());
    const { onProgress } = this.options;
    if (onProgress) this.every(this.options.progressIntervalMs ?? 1000, () => onProgress(this.progress()));

    if (this.plan.model === 'open') this.startOpen(this.plan);
    else this.startClosed(this.plan);
  }

  progress(): LoadProgress {
    return {
      sent: this.tally.sent,
      completed: this.tally.completed,
      errors: errorCount(this.tally),
      elapsedSeconds: (now() - this.startMs) / 1000,
    };
  }

  // ---- open model: a schedule of intended send times, caught up on every tick ----

  private startOpen(plan: OpenPlan): void {
    this.schedule = createSchedule(this.startMs, plan.rateRps, plan.durationSeconds);
    this.tick();
  }

  private readonly tick = (): void => {
    this.immediate = null;
    const schedule = this.schedule as OpenSchedule;
    const step = planTick(schedule, this.nextIndex, now());
    if (step.kind === 'closed') {
      this.dropped += step.dropped;
      this.nextIndex = schedule.totalRequests;
      this.closeWindow();
      return;
    }
    for (let index = step.from; index < step.to; index++) {
      const intendedMs = intendedTimeMs(schedule, index);
      recordDispatch(this.ledger, intendedMs, now());
      this.send(this.pick(), intendedMs);
    }
    this.nextIndex = step.to;
    if (this.nextIndex >= schedule.totalRequests) {
      this.closeWindow();
      return;
    }
    const waitMs = intendedTimeMs(schedule, this.nextIndex) - now();
    // A timer shorter than 1 ms is a 1 ms timer in Node: poll instead of oversleeping.
    if (waitMs >= SPIN_MARGIN_MS + 1) this.after(Math.floor(waitMs - SPIN_MARGIN_MS), this.tick);
    else this.immediate = setImmediate(this.tick);
  };

  // ---- closed model: each connection sends its next request when the previous one ends ----

  private startClosed(plan: ClosedPlan): void {
    this.after(plan.durationSeconds * 1000, () => this.closeWindow());
    for (let connection = 0; connection < plan.connections; connection++) this.sendClosed();
  }

  private readonly sendClosed = (): void => {
    if (this.windowClosed) return;
    if (now() >= this.windowEndMs) {
      this.closeWindow();
      return;
    }
    this.send(this.pick(), null);
  };

  // ---- one request ----

  private send(variant: number, intendedMs: number | null): void {
    const dispatchMs = now();
    tallySent(this.tally, variant);
    const flight: Flight = { variant, intendedMs, sentMs: dispatchMs, deadlineMs: dispatchMs + this.plan.requestTimeoutMs };
    this.inFlight.add(flight);
    this.pool.send(flight, this.requestBytes[variant] as Buffer);
  }

  private completed(flight: Flight, response: ParsedResponse, endMs: number): void {
    if (!this.inFlight.delete(flight)) return;
    const ok = isSuccess(response.statusCode);
    const answer = ok ? this.plan.variants[flight.variant]?.answer : undefined;
    tallyResponse(this.tally, flight.variant, {
      statusCode: response.statusCode,
      latencyUs: elapsedMicros(flight.intendedMs ?? flight.sentMs, endMs),
      serviceTimeUs: elapsedMicros(flight.sentMs, endMs),
      // The lab's checksum and payload digest are the answer of a kind that names no other.
      facts:
        ok && !answer
          ? extractResponseFacts(response.bodyHead.toString('latin1', 0, Math.min(response.bodyHead.length, FACTS_HEAD_BYTES)))
          : null,
      answer: answer
        ? {
            status: answer.status ? String(response.statusCode) : null,
            digest: answerDigest(answer, response.bodyHead, response.bodyBytes),
          }
        : null,
    });
    this.settled(false);
  }

  private failed(flight: Flight, kind: 'timeout' | 'connection'): void {
    if (!this.inFlight.delete(flight)) return;
    tallyFailure(this.tally, flight.variant, kind);
    if (kind === 'timeout') this.pool.abort(flight);
    this.settled(kind === 'connection');
  }

  /** After any request ends: the closed model refills its connection; both may be done. */
  private settled(connectionFailed: boolean): void {
    if (this.plan.model === 'closed' && !this.windowClosed) {
      if (connectionFailed) this.after(RETRY_AFTER_CONNECTION_ERROR_MS, this.sendClosed);
      else this.sendClosed();
    }
    if (this.windowClosed && this.inFlight.size === 0) this.finish();
  }

  /** In-flight requests are in dispatch order, so their deadlines are too: stop at the first alive one. */
  private sweepTimeouts(): void {
    const nowMs = now();
    for (const flight of this.inFlight) {
      if (flight.deadlineMs > nowMs) break;
      this.failed(flight, 'timeout');
    }
  }

  private closeWindow(): void {
    if (this.windowClosed) return;
    this.windowClosed = true;
    this.windowClosedAtMs = now();
    if (this.inFlight.size === 0) this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (this.immediate !== null) clearImmediate(this.immediate);
    this.loopDelay.disable();
    this.pool.destroy();
    const open = this.plan.model === 'open';
    this.resolve(
      buildResult(this.tally, {
        model: this.plan.model,
        targetRps: this.plan.model === 'open' ? this.plan.rateRps : null,
        // The open window is the schedule's; the closed one is as long as its timer really ran.
        windowSeconds: open ? this.plan.durationSeconds : (this.windowClosedAtMs - this.startMs) / 1000,
        lateSends: open ? this.ledger.lateSends : 0,
        lateThresholdMs: this.lateThresholdMs,
        // The closed model has no schedule to fall behind; its loop delay is the nearest measure.
        maxGeneratorLagMs: open ? this.ledger.maxLagMs : this.loopDelay.max / 1e6,
        dropped: this.dropped,
        generatorCpuSeconds: cpuSecondsSince(this.startCpu),
      }),
    );
  }

  private after(delayMs: number, callback: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      callback();
    }, delayMs);
    this.timers.add(timer);
  }

  private every(intervalMs: number, callback: () => void): void {
    this.timers.add(setInterval(callback, intervalMs));
  }
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}
