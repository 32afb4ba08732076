import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, GO_DEFAULT_KNOBS, applyKnobs, checkKnobs, formatKnobError } from '../../server/work/knobs.js';

const parse = (query: string) => {
  const raw = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(query)) raw.set(name, [...(raw.get(name) ?? []), value]);
  return applyKnobs(raw, GO_DEFAULT_KNOBS, DEFAULT_LIMITS);
};

describe('workload knobs', () => {
  it('defaults to the Go lab: DB wait uniform in [50, 200) ms and 100 000 iterations', () => {
    const result = parse('');
    expect(result).toEqual({ ok: true, knobs: GO_DEFAULT_KNOBS });
    expect(GO_DEFAULT_KNOBS).toMatchObject({ dbMinMs: 50, dbMaxMs: 200, loopIterations: 100_000, payloadItems: 0 });
  });

  it('applies every knob from its query parameter', () => {
    const result = parse(
      'db_min_ms=1.5&db_max_ms=2&db_spike_probability=0.01&db_spike_ms=500&loop_iterations=3000000' +
        '&loop_impl=bigint&payload_items=16&payload_item_bytes=4096&seed=42',
    );
    expect(result).toEqual({
      ok: true,
      knobs: {
        dbMinMs: 1.5,
        dbMaxMs: 2,
        dbSpikeProbability: 0.01,
        dbSpikeMs: 500,
        loopIterations: 3_000_000,
        loopImplementation: 'bigint',
        payloadItems: 16,
        payloadItemBytes: 4096,
        seed: 42,
      },
    });
  });

  it.each([
    ['loop_iterations=abc', 'loop_iterations: expected an integer in [0, 100000000], got "abc"'],
    ['loop_iterations=-1', 'loop_iterations: expected an integer in [0, 100000000], got "-1"'],
    ['loop_iterations=1.5', 'loop_iterations: expected an integer in [0, 100000000], got "1.5"'],
    ['loop_iterations=1e6', 'loop_iterations: expected an integer in [0, 100000000], got "1e6"'],
    ['loop_iterations=', 'loop_iterations: expected an integer in [0, 100000000], got ""'],
    ['loop_iterations=100000001', 'loop_iterations: expected an integer in [0, 100000000], got "100000001"'],
    ['loop_iterations=99999999999999999999', 'loop_iterations: expected an integer in [0, 100000000], got "99999999999999999999"'],
    ['db_min_ms=NaN', 'db_min_ms: expected a number in [0, 10000], got "NaN"'],
    ['db_min_ms=Infinity', 'db_min_ms: expected a number in [0, 10000], got "Infinity"'],
    ['db_max_ms=0x10', 'db_max_ms: expected a number in [0, 10000], got "0x10"'],
    ['db_min_ms=100&db_max_ms=50', 'db_max_ms: expected a value >= db_min_ms (100), got "50"'],
    ['db_spike_probability=1.01', 'db_spike_probability: expected a number in [0, 1], got "1.01"'],
    ['db_spike_ms=9900', 'db_spike_ms: expected db_max_ms + db_spike_ms <= 10000 (the max DB wait), got "9900"'],
    ['loop_impl=wasm', 'loop_impl: expected one of number, bigint, got "wasm"'],
    [
      'payload_items=1000000&payload_item_bytes=1000',
      'payload_items: expected payload_items x (payload_item_bytes + 48) <= 67108864 bytes, got "1000000 items of 1000 bytes"',
    ],
    ['seed=4294967296', 'seed: expected an integer in [0, 4294967295], got "4294967296"'],
    ['loop_iterations=1&loop_iterations=2', 'loop_iterations: expected a single value, got "1,2"'],
  ])('rejects %s', (query, message) => {
    const result = parse(query);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(formatKnobError(result.error)).toBe(message);
  });

  it('rejects unknown parameters by name', () => {
    const result = parse('loop_iteration=5');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.parameter).toBe('loop_iteration');
      expect(result.error.expected).toContain('loop_iterations');
    }
  });

  it('ranges follow configured limits', () => {
    const limits = { ...DEFAULT_LIMITS, maxLoopIterations: 1000 };
    const raw = new Map([['loop_iterations', ['1001']]]);
    expect(applyKnobs(raw, GO_DEFAULT_KNOBS, limits).ok).toBe(false);
    expect(applyKnobs(new Map([['loop_iterations', ['1000']]]), GO_DEFAULT_KNOBS, limits).ok).toBe(true);
  });

  it('checks typed knobs too (what createApp is given)', () => {
    const result = checkKnobs({ ...GO_DEFAULT_KNOBS, loopIterations: -5 }, DEFAULT_LIMITS);
    expect(result.ok).toBe(false);
  });
});

describe('the BigInt loop', () => {
  it('has its own iteration cap: it costs ~28x the default loop per iteration', () => {
    const raw = (iterations: number) =>
      new Map([
        ['loop_impl', ['bigint']],
        ['loop_iterations', [String(iterations)]],
      ]);
    expect(applyKnobs(raw(DEFAULT_LIMITS.maxBigintLoopIterations), GO_DEFAULT_KNOBS, DEFAULT_LIMITS).ok).toBe(true);
    expect(applyKnobs(raw(100_000_000), GO_DEFAULT_KNOBS, DEFAULT_LIMITS)).toEqual({
      ok: false,
      error: {
        parameter: 'loop_iterations',
        expected: 'an integer in [0, 4000000] with loop_impl=bigint (~28x the cost of the default loop)',
        received: '100000000',
      },
    });
  });
});
