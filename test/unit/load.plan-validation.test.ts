import { describe, expect, it } from 'vitest';
import { parseLoadPlan } from '../../bench/load/plan.js';

const open = {
  model: 'open',
  baseUrl: 'http://127.0.0.1:41234',
  variants: [{ name: 'work', path: '/api/work?loop_iterations=1000', weight: 1 }],
  durationSeconds: 2,
  requestTimeoutMs: 1_000,
  seed: 1,
  rateRps: 100,
  maxConnections: 16,
};
const closed = { ...open, model: 'closed', connections: 4, rateRps: undefined, maxConnections: undefined };
const withChange = (base: object, change: Record<string, unknown>) =>
  Object.fromEntries(Object.entries({ ...base, ...change }).filter(([, v]) => v !== undefined));

describe('load plan validation', () => {
  it('accepts a valid open and a valid closed plan unchanged', () => {
    expect(parseLoadPlan(open)).toEqual({ ok: true, plan: open });
    const closedPlan = withChange(closed, {});
    expect(parseLoadPlan(closedPlan)).toEqual({ ok: true, plan: closedPlan });
  });

  it.each([
    [{ model: 'poisson' }, "plan.model: Invalid discriminator value. Expected 'open' | 'closed', found \"poisson\""],
    [{ rateRps: -5 }, 'plan.rateRps: expected a number > 0, found -5'],
    [{ rateRps: '100' }, 'plan.rateRps: expected number, found "100"'],
    [{ maxConnections: 2.5 }, 'plan.maxConnections: expected an integer, found 2.5'],
    [
      { baseUrl: 'http://example.com:80' },
      'plan.baseUrl: expected an http:// URL on 127.0.0.1, [::1] or localhost, found "http://example.com:80"',
    ],
    [{ variants: [] }, 'plan.variants: expected at least one variant, found [] (and 1 more)'],
    [
      { variants: [{ name: 'a', path: 'api/work', weight: 1 }] },
      'plan.variants[0].path: expected a path starting with "/", found "api/work"',
    ],
    [
      { variants: [{ name: 'a', path: '/', weight: 0 }] },
      'plan.variants: expected at least one variant with weight > 0, found [{"name":"a","path":"/","weight":0}]',
    ],
    [{ durationSeconds: 0 }, 'plan.durationSeconds: expected a number > 0, found 0'],
    [{ requestTimeoutMs: 1e9 }, 'plan.requestTimeoutMs: expected at most 120000, found 1000000000'],
    [{ lateThresholdMs: 0 }, 'plan.lateThresholdMs: expected a number > 0, found 0'],
    [{ rateRps: 200_000, durationSeconds: 3_600 }, 'plan.rateRps: expected rateRps * durationSeconds <= 20000000, found 200000'],
    [{ rateRps: -1, seed: 0.5 }, 'plan.rateRps: expected a number > 0, found -1 (and 1 more)'],
    [{ seed: undefined }, 'plan.seed: expected number, found nothing'],
    [{ extra: true }, 'plan: Unrecognized key: "extra"'],
  ])('rejects %j with one line naming the field', (change, message) => {
    expect(parseLoadPlan(withChange(open, change))).toEqual({ ok: false, message });
  });

  it('rejects an open-model field in a closed plan', () => {
    expect(parseLoadPlan({ ...withChange(closed, {}), rateRps: 5 })).toEqual({ ok: false, message: 'plan: Unrecognized key: "rateRps"' });
  });

  it('rejects something that is not a plan at all', () => {
    expect(parseLoadPlan(null)).toMatchObject({ ok: false });
    expect(parseLoadPlan('open')).toMatchObject({ ok: false });
  });
});
