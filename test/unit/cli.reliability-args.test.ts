import { describe, expect, it } from 'vitest';
import { DEFAULTS, hostileInputs, parseReliabilityArgs } from '../../bench/bin/reliability.js';

describe('npm run bench:reliability', () => {
  it('parses its flags, with defaults in one place', () => {
    expect(parseReliabilityArgs([])).toEqual({ kind: 'ok', options: { ...DEFAULTS, json: false } });
    expect(parseReliabilityArgs(['--fuzz', '3000', '--overload-seconds', '2', '--slow-readers', '4', '--json'])).toEqual({
      kind: 'ok',
      options: { fuzz: 3000, overloadSeconds: 2, slowReaders: 4, json: true },
    });
    expect(parseReliabilityArgs(['--overload-seconds', '0'])).toEqual({
      kind: 'error',
      message: '--overload-seconds: expected an integer in [1, 60], got "0"',
    });
    expect(parseReliabilityArgs(['-h'])).toEqual({ kind: 'help' });
  });

  it('fuzzes with the same hostile inputs every run, HTTP and raw bytes alike', () => {
    const inputs = hostileInputs(400);
    expect(inputs).toHaveLength(400);
    expect(hostileInputs(400)).toEqual(inputs);
    expect(inputs.filter((i) => i.kind === 'raw').length).toBe(100);
    expect(inputs.some((i) => i.kind === 'raw' && i.bytes.includes(0xff))).toBe(true);
    expect(inputs.some((i) => i.kind === 'path' && /([a-z_]+)=1&\1=/.test(i.path))).toBe(true);
  });
});
