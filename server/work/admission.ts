/**
 * Load shedding for `/api/work`: a bounded number of requests, of payload bytes and of hot-loop
 * iterations in flight at once (the loop blocks the event loop, so a few heavy requests stall
 * /healthz as long as many light ones). Beyond any, the lab answers 503 at once instead of
 * queueing: measured on a 2-vCPU VM
 * under `wrk -c200` at twice the hot loop's capacity, an unbounded lab took 3.7–14.6 s to answer
 * `/healthz` and `/metrics` (146–165 connections sat unaccepted), and 8 slow readers of the
 * largest payload held 2.5 GB. A slot is held until the response's socket is done with it — a
 * slow reader keeps its payload's bytes, so they count until then.
 */
export interface AdmissionLimits {
  maxInFlightRequests: number;
  maxPayloadBytesInFlight: number;
  maxLoopIterationsInFlight: number;
}

/** What one request will hold while in flight. */
export interface RequestCost {
  payloadBytes: number;
  /** Hot-loop work in default-loop iterations (see `loopCost`). */
  loopIterations: number;
}

export type Admission = { admitted: true; release: () => void } | { admitted: false; reason: string };

export class AdmissionControl {
  #requests = 0;
  #payloadBytes = 0;
  #loopIterations = 0;

  constructor(private readonly limits: AdmissionLimits) {}

  /** Admits a request that will hold `cost`, or says which bound it would break. */
  tryAdmit({ payloadBytes, loopIterations }: RequestCost): Admission {
    if (this.#requests >= this.limits.maxInFlightRequests) {
      return {
        admitted: false,
        reason: `${this.#requests} requests in flight (--max-in-flight-requests ${this.limits.maxInFlightRequests})`,
      };
    }
    // One request may always run alone, whatever its size: per-request limits bound it already.
    if (payloadBytes > 0 && this.#payloadBytes > 0 && this.#payloadBytes + payloadBytes > this.limits.maxPayloadBytesInFlight) {
      return {
        admitted: false,
        reason: `${this.#payloadBytes} payload bytes in flight (--max-payload-bytes-in-flight ${this.limits.maxPayloadBytesInFlight})`,
      };
    }
    if (loopIterations > 0 && this.#loopIterations > 0 && this.#loopIterations + loopIterations > this.limits.maxLoopIterationsInFlight) {
      return {
        admitted: false,
        reason: `${this.#loopIterations} loop iterations in flight (--max-loop-iterations-in-flight ${this.limits.maxLoopIterationsInFlight})`,
      };
    }
    this.#requests++;
    this.#payloadBytes += payloadBytes;
    this.#loopIterations += loopIterations;
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        this.#requests--;
        this.#payloadBytes -= payloadBytes;
        this.#loopIterations -= loopIterations;
      },
    };
  }

  get inFlightRequests(): number {
    return this.#requests;
  }

  get payloadBytesInFlight(): number {
    return this.#payloadBytes;
  }

  get loopIterationsInFlight(): number {
    return this.#loopIterations;
  }
}
