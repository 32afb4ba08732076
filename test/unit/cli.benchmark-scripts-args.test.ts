import { describe, expect, it } from 'vitest';
import { DEFAULTS as FIDELITY, parseFidelityArgs } from '../../bench/bin/fidelity.js';
import { DEFAULTS as PROOF, parseGateProofArgs } from '../../bench/bin/gate-proof.js';
import { DEFAULTS as MICRO, parseMicroArgs } from '../../bench/bin/micro.js';
import { DEFAULTS as OVERHEAD, parseOverheadArgs } from '../../bench/bin/overhead.js';
import { DEFAULTS as PROFILE, parseProfileOverheadArgs } from '../../bench/bin/profile-overhead.js';
import { DEFAULTS as SCHEMA, parseSchemaArgs } from '../../bench/bin/write-json-schema.js';

describe('the benchmark scripts’ flags', () => {
  it('bench:micro', () => {
    expect(parseMicroArgs([])).toEqual({ kind: 'ok', options: { json: false, timeMs: MICRO.timeMs } });
    expect(parseMicroArgs(['--json', '--time-ms', '50'])).toEqual({ kind: 'ok', options: { json: true, timeMs: 50 } });
    expect(parseMicroArgs(['--time-ms', '0'])).toMatchObject({
      kind: 'error',
      message: '--time-ms: expected an integer in [1, 600000], got "0"',
    });
  });

  it('bench:overhead and bench:profile-overhead', () => {
    expect(parseOverheadArgs([])).toEqual({ kind: 'ok', options: { ...OVERHEAD } });
    expect(parseOverheadArgs(['--rate', '0'])).toEqual({ kind: 'error', message: '--rate: expected an integer in [1, 1000000], got "0"' });
    expect(parseProfileOverheadArgs(['--rounds', '2'])).toEqual({ kind: 'ok', options: { ...PROFILE, rounds: 2 } });
    expect(parseProfileOverheadArgs(['--seconds', '61'])).toEqual({
      kind: 'error',
      message: '--seconds: expected an integer in [1, 60], got "61"',
    });
  });

  it('bench:fidelity', () => {
    const parsed = parseFidelityArgs(['--only', 'stall', '--connections', '4,8']);
    expect(parsed).toMatchObject({ kind: 'ok', options: { only: new Set(['stall']), connections: [4, 8] } });
    expect(parseFidelityArgs(['--only', 'nope'])).toEqual({
      kind: 'error',
      message: '--only: expected some of fidelity,stall,capacity, found "nope"',
    });
    expect(parseFidelityArgs([])).toMatchObject({
      kind: 'ok',
      options: { durationSeconds: FIDELITY.durationSeconds, trials: FIDELITY.trials, connections: [...FIDELITY.connections] },
    });
  });

  it('bench:gate-proof', () => {
    expect(parseGateProofArgs([])).toEqual({
      kind: 'ok',
      options: {
        unchanged: PROOF.unchanged,
        runs: PROOF.runs,
        wrong: PROOF.wrong,
        sizes: [...PROOF.sizes],
        sites: [...PROOF.sites],
        scenarios: [],
        trials: null,
        out: PROOF.out,
      },
    });
    expect(parseGateProofArgs(['--sites', 'loop', '--sizes', '5', '--trials', '6'])).toMatchObject({
      kind: 'ok',
      options: { sites: ['loop'], sizes: [5], trials: 6 },
    });
    expect(parseGateProofArgs(['--sites', 'disk'])).toEqual({
      kind: 'error',
      message: '--sites: expected some of loop,loop-work,json, got "disk"',
    });
    expect(parseGateProofArgs(['--sizes', '5,0'])).toEqual({
      kind: 'error',
      message: '--sizes: expected percentages in (0, 200] like 5,10,20, got "0"',
    });
  });

  it('schema', () => {
    expect(parseSchemaArgs([])).toEqual({ kind: 'ok', options: { target: SCHEMA.target } });
    expect(parseSchemaArgs(['out.json'])).toEqual({ kind: 'ok', options: { target: 'out.json' } });
    expect(parseSchemaArgs(['a', 'b'])).toEqual({ kind: 'error', message: 'expected at most one FILE, got 2: a b' });
  });
});
