import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Track } from '../metrics/track.js';
import { runLoop } from './checksum.js';
import { drawDbWaitMs, simulateDb } from './db.js';
import type { AdmissionControl } from './admission.js';
import { applyKnobs, formatKnobError, loopCost, type WorkKnobs, type WorkLimits } from './knobs.js';
import { buildPayload, estimatedPayloadBytes } from './payload.js';
import { encodeWorkResponse, toMillis, type WorkResult } from './response.js';
import { seededRandom, type Random } from './rng.js';

/** What the handler reports besides sections; implemented by the app's metrics (or no-ops). */
export interface WorkRecorder {
  loopIterations(iterations: number): void;
  jsonEncodeError(): void;
  businessLatency(operation: string, durationMs: number): void;
  /** A request answered 503 by load shedding (also counted as a 503 by the HTTP metrics). */
  shed(): void;
}

export interface WorkHandlerDeps {
  defaults: WorkKnobs;
  limits: WorkLimits;
  /** The server's RNG stream, used when a request brings no `seed`. */
  random: Random;
  track: Track;
  recorder: WorkRecorder;
  logger: Logger;
  admission: AdmissionControl;
}

/** `GET /api/work`: Go's `handlers.Work`, phase by phase, with per-request knobs. */
export function createWorkHandler(deps: WorkHandlerDeps): RequestHandler {
  return async (req: Request, res: Response) => {
    const parsed = applyKnobs(queryParams(req.url), deps.defaults, deps.limits);
    if (!parsed.ok) {
      res.status(400).json({ error: 'invalid_parameter', message: formatKnobError(parsed.error), ...parsed.error });
      return;
    }
    const { knobs } = parsed;
    const admission = deps.admission.tryAdmit({
      payloadBytes: knobs.payloadItems > 0 ? estimatedPayloadBytes(knobs.payloadItems, knobs.payloadItemBytes) : 0,
      loopIterations: loopCost(knobs),
    });
    if (!admission.admitted) {
      deps.recorder.shed();
      res
        .status(503)
        .set('Retry-After', '1')
        .json({ error: 'overloaded', message: `shedding load: ${admission.reason}; retry later` });
      return;
    }
    res.once('close', admission.release);
    const stopTotal = deps.track('work_total');
    try {
      const startMs = performance.now();
      const result = await runWork(knobs, knobs.seed === null ? deps.random : seededRandom(knobs.seed), deps);
      result.timingsMs.totalMs = toMillis(performance.now() - startMs);

      let body: string;
      {
        using _encoding = deps.track('json_encode');
        try {
          body = encodeWorkResponse(result).body;
        } catch (error) {
          deps.recorder.jsonEncodeError();
          deps.logger.error({ err: error }, 'handlers.work: failed to encode response');
          res.status(500).json({ error: 'encode_failed', message: 'failed to encode response' });
          return;
        }
      }
      res.status(200).type('application/json').end(body);
      deps.recorder.businessLatency('work_handler', performance.now() - startMs);
    } finally {
      stopTotal();
    }
  };
}

async function runWork(knobs: WorkKnobs, random: Random, deps: WorkHandlerDeps): Promise<WorkResult> {
  const stopDb = deps.track('db_query');
  await simulateDb(drawDbWaitMs(knobs, random));
  const dbQueryMs = stopDb();

  const stopLoop = deps.track('loop');
  const loopChecksum = runLoop(knobs.loopImplementation, knobs.loopIterations);
  const loopMs = stopLoop();
  deps.recorder.loopIterations(knobs.loopIterations);

  let payload = null;
  let payloadBuildMs = null;
  if (knobs.payloadItems > 0) {
    const stopBuild = deps.track('payload_build');
    payload = buildPayload(knobs.payloadItems, knobs.payloadItemBytes);
    payloadBuildMs = toMillis(stopBuild());
  }
  return {
    timingsMs: { dbQueryMs: toMillis(dbQueryMs), loopMs: toMillis(loopMs), payloadBuildMs, totalMs: 0 },
    loopIterations: knobs.loopIterations,
    loopChecksum,
    timestampEpochMs: performance.timeOrigin + performance.now(),
    payload,
  };
}

function queryParams(url: string): Map<string, string[]> {
  const params = new Map<string, string[]>();
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return params;
  for (const [name, value] of new URLSearchParams(url.slice(queryStart + 1))) {
    const values = params.get(name);
    if (values === undefined) params.set(name, [value]);
    else values.push(value);
  }
  return params;
}
