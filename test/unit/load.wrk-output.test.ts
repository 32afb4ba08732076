import { describe, expect, it } from 'vitest';
import { parseWrkOutput } from '../../bench/load/wrk-output.js';

// Captured from Debian's wrk 4.1 on this machine.
const ZERO_WORK = `Running 1s test @ http://127.0.0.1:36711/api/work?db_min_ms=0&db_max_ms=0&loop_iterations=0
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.12ms    2.40ms  17.57ms   87.37%
    Req/Sec     2.60k   719.55     4.17k    80.00%
  Latency Distribution
     50%    1.00ms
     75%    2.69ms
     90%    5.11ms
     99%   11.88ms
  2599 requests in 1.00s, 2.40MB read
Requests/sec:   2591.77
Transfer/sec:      2.40MB
`;

const NOT_FOUND_WITH_TIMEOUTS = `Running 2s test @ http://127.0.0.1:36711/nope
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   725.00us    3.62ms    1.20s    91.30%
    Req/Sec     3.28k     0.89k    4.62k    70.00%
  Latency Distribution
     50%  725.00us
     75%    2.38ms
     90%    5.25ms
     99%  183.12ms
  3279 requests in 2.00s, 752.50KB read
  Socket errors: connect 0, read 1, write 0, timeout 12
  Non-2xx or 3xx responses: 3279
Requests/sec:   1639.50
Transfer/sec:    749.90KB
`;

describe('parsing wrk --latency output', () => {
  it('reads throughput and the latency distribution in milliseconds', () => {
    expect(parseWrkOutput(ZERO_WORK)).toEqual({
      ok: true,
      summary: {
        requests: 2599,
        durationSeconds: 1,
        requestsPerSecond: 2591.77,
        meanMs: 2.12,
        maxMs: 17.57,
        p50Ms: 1,
        p75Ms: 2.69,
        p90Ms: 5.11,
        p99Ms: 11.88,
        non2xx3xx: 0,
        socketErrors: { connect: 0, read: 0, write: 0, timeout: 0 },
      },
    });
  });

  it('converts us and s, and reads error counts', () => {
    const parsed = parseWrkOutput(NOT_FOUND_WITH_TIMEOUTS);
    expect(parsed).toMatchObject({
      ok: true,
      summary: { meanMs: 0.725, maxMs: 1_200, p50Ms: 0.725, p99Ms: 183.12, non2xx3xx: 3279, socketErrors: { read: 1, timeout: 12 } },
    });
  });

  it('says why when there is no summary (wrk could not connect, or ran without --latency)', () => {
    expect(parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused\n')).toEqual({
      ok: false,
      reason: 'wrk output without a --latency summary: unable to connect to 127.0.0.1:1 Connection refused',
    });
    expect(parseWrkOutput(ZERO_WORK.replace(/\s+99%.*\n/, '\n'))).toMatchObject({ ok: false });
  });
});
