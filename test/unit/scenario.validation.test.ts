import { describe, expect, it } from 'vitest';
import { formatScenarioError, parseScenario } from '../../bench/scenario/load.js';

const VALID = `description: ok
load:
  rate_rps: 10
`;

const messages = (text: string) => {
  const result = parseScenario(text, 'scenarios/x.yaml');
  return result.ok ? [] : result.errors.map(formatScenarioError);
};

describe('broken scenario files get one line per problem, naming file, line, field', () => {
  it.each([
    ['missing description', 'load:\n  rate_rps: 10\n', ['scenarios/x.yaml:1:1: description: is required (a string)']],
    ['missing load', 'description: d\n', ['scenarios/x.yaml:1:1: load: is required (a mapping)']],
    [
      'a string where a number belongs',
      'description: d\nload:\n  rate_rps: fast\n',
      ['scenarios/x.yaml:3:13: load.rate_rps: expected a number, got "fast"'],
    ],
    [
      'an unknown field, with the allowed ones',
      'description: d\nload:\n  rate_rps: 10\n  trialz: 3\n',
      [
        'scenarios/x.yaml:4:3: load.trialz: unknown field "trialz"; expected one of model, rate_rps, connections, warmup_seconds, duration_seconds, trials, trials_per_lab, duet_seconds, request_timeout_ms, seed',
      ],
    ],
    [
      'a bad enum value',
      'description: d\nload:\n  model: burst\n  rate_rps: 10\n',
      ['scenarios/x.yaml:3:10: load.model: expected one of "open", "closed", got "burst"'],
    ],
    [
      'an out-of-range number',
      'description: d\nload:\n  rate_rps: 10\n  trials: 0\n',
      ['scenarios/x.yaml:4:11: load.trials: expected a value >= 1, got 0'],
    ],
    [
      'a knob the lab rejects',
      'description: d\nserver:\n  loop_iterations: 200000000\nload:\n  rate_rps: 10\n',
      ['scenarios/x.yaml:3:20: server.loop_iterations: expected an integer in [0, 100000000], got "200000000"'],
    ],
    [
      'an inconsistent knob pair',
      'description: d\nserver:\n  db_min_ms: 10\n  db_max_ms: 5\nload:\n  rate_rps: 10\n',
      ['scenarios/x.yaml:4:14: server.db_max_ms: expected a value >= db_min_ms (10), got "5"'],
    ],
    [
      'a bad per-request knob',
      'description: d\nrequests:\n  - name: heavy\n    query: { loop_impl: wasm }\nload:\n  rate_rps: 10\n',
      ['scenarios/x.yaml:4:25: requests[0].query.loop_impl: expected one of "number", "bigint", got "wasm"'],
    ],
    [
      'the open model without a rate',
      'description: d\nload:\n  model: open\n',
      ['scenarios/x.yaml:3:3: load.rate_rps: the open model needs rate_rps (requests per second)'],
    ],
    [
      'an unknown metric in thresholds',
      `${VALID}thresholds:\n  p95: "< 3"\n`,
      [expect.stringMatching(/^scenarios\/x.yaml:5:8: thresholds.p95: unknown metric "p95": expected one of p50_ms, .*section\.<name>/)],
    ],
    [
      'a threshold that does not parse',
      `${VALID}thresholds:\n  p99_ms: under 300\n`,
      ['scenarios/x.yaml:5:11: thresholds.p99_ms: expected a threshold like "< 250" (operators < <= > >= ==), got "under 300"'],
    ],
    [
      'an allowed regression in the wrong direction',
      `${VALID}gate:\n  throughput_rps: "+10%"\n`,
      [
        'scenarios/x.yaml:5:19: gate.throughput_rps: throughput_rps is higher-is-better, so its allowed regression starts with "-", got "+10%"',
      ],
    ],
    [
      'YAML that does not parse',
      'load: [1,\n',
      ['scenarios/x.yaml:2:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ],
    [
      'a duplicate key',
      'description: a\ndescription: b\nload:\n  rate_rps: 1\n',
      ['scenarios/x.yaml:2:1: YAML syntax error: Map keys must be unique'],
    ],
    ['an empty file', '', ['scenarios/x.yaml:1:1: expected a mapping (description:, load:, …) at the top level']],
  ])('%s', (_what, text, expected) => {
    expect(messages(text)).toEqual(expected);
  });
});

describe('a valid scenario', () => {
  it('is fully defaulted', () => {
    const result = parseScenario(VALID, 'scenarios/tiny.yaml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.spec).toMatchObject({
      name: 'tiny',
      serverArgs: ['--seed', '1'],
      requests: [{ name: 'work', weight: 1, path: '/api/work' }],
      load: {
        model: 'open',
        rateRps: 10,
        connections: 64,
        warmupSeconds: 2,
        durationSeconds: 5,
        trials: 3,
        trialsPerLab: 3,
        requestTimeoutMs: 10_000,
        seed: 1,
      },
      validity: { minRateRatio: 0.95, maxLateRatio: 0.05, maxErrorRatio: 0.05 },
      thresholds: [],
    });
    expect(result.spec.gate.map((g) => `${g.metric} ${g.allowed.source}`)).toEqual(['p95_ms +10%', 'p99_ms +20%', 'error_ratio +0.01']);
    expect(result.hash).toMatch(/^sha256:[0-9a-f]{16}$/);
  });

  it('turns knobs into server flags and request queries', () => {
    const result = parseScenario(
      'description: d\nserver:\n  loop_iterations: 5\n  seed: 9\nrequests:\n  - name: a\n    weight: 2\n    query: { payload_items: 2, loop_impl: bigint }\nload:\n  model: closed\n  connections: 4\n',
      'x.yaml',
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.spec.serverArgs).toEqual(['--loop-iterations', '5', '--seed', '9']);
    expect(result.spec.requests).toEqual([{ name: 'a', weight: 2, path: '/api/work?loop_impl=bigint&payload_items=2' }]); // knob order, whatever the file's
    expect(result.spec.load).toMatchObject({ model: 'closed', rateRps: null, connections: 4 });
  });

  it('hashes what is measured, not names, thresholds or gate rules', () => {
    const hash = (text: string) => {
      const result = parseScenario(text, 'x.yaml');
      return result.ok ? result.hash : null;
    };
    const base = hash(VALID);
    expect(hash(`${VALID}thresholds:\n  p95_ms: "< 9"\n`)).toBe(base);
    expect(hash(VALID.replace('description: ok', 'description: renamed'))).toBe(base);
    expect(hash(VALID.replace('rate_rps: 10', 'rate_rps: 11'))).not.toBe(base);
  });
});
