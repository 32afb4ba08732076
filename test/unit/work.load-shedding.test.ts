import { afterEach, describe, expect, it } from 'vitest';
import { AdmissionControl } from '../../server/work/admission.js';
import { startInProcessLab, type RunningLab } from '../support/in-process-lab.js';

const NONE = { payloadBytes: 0, loopIterations: 0 };
const cost = (payloadBytes: number) => ({ payloadBytes, loopIterations: 0 });

describe('admission control (pure)', () => {
  it('admits up to the request bound, and releases once per ticket', () => {
    const control = new AdmissionControl({ maxInFlightRequests: 2, maxPayloadBytesInFlight: 100, maxLoopIterationsInFlight: 100 });
    const a = control.tryAdmit(NONE);
    const b = control.tryAdmit(NONE);
    expect(control.tryAdmit(NONE)).toEqual({ admitted: false, reason: '2 requests in flight (--max-in-flight-requests 2)' });
    if (!a.admitted || !b.admitted) throw new Error('expected admissions');
    a.release();
    a.release();
    expect(control.inFlightRequests).toBe(1);
    expect(control.tryAdmit(NONE).admitted).toBe(true);
  });

  it('bounds payload bytes in flight, but always lets one request run alone', () => {
    const control = new AdmissionControl({ maxInFlightRequests: 10, maxPayloadBytesInFlight: 100, maxLoopIterationsInFlight: 100 });
    const big = control.tryAdmit(cost(150));
    expect(big.admitted).toBe(true);
    expect(control.tryAdmit(cost(10))).toMatchObject({
      admitted: false,
      reason: '150 payload bytes in flight (--max-payload-bytes-in-flight 100)',
    });
    expect(control.tryAdmit(NONE).admitted).toBe(true);
    if (big.admitted) big.release();
    expect(control.payloadBytesInFlight).toBe(0);
  });
});

describe('/api/work beyond its bounds', () => {
  let lab: RunningLab | null = null;
  afterEach(async () => {
    await lab?.close();
    lab = null;
  });

  it('answers 503 at once with Retry-After and a JSON reason, counted as a 503, then serves again', async () => {
    lab = await startInProcessLab({ limits: { maxInFlightRequests: 2 } });
    const slow = `${lab.baseUrl}/api/work?db_min_ms=300&db_max_ms=301&loop_iterations=0`;
    const inFlight = [fetch(slow), fetch(slow)];
    await new Promise((resolve) => setTimeout(resolve, 50));
    const startedMs = performance.now();
    const shed = await fetch(slow);
    expect(performance.now() - startedMs).toBeLessThan(200);
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('1');
    expect(await shed.json()).toEqual({
      error: 'overloaded',
      message: 'shedding load: 2 requests in flight (--max-in-flight-requests 2); retry later',
    });
    expect((await Promise.all(inFlight)).map((r) => r.status)).toEqual([200, 200]);
    expect((await fetch(slow)).status).toBe(200);
    const text = await (await fetch(`${lab.baseUrl}/metrics`)).text();
    expect(text).toMatch(/^http_errors_total\{method="GET",path="\/api\/work",status="503"\} 1$/m);
    expect(lab.lab.snapshot().counters).toMatchObject({ shed_requests: 1 });
  });
});
