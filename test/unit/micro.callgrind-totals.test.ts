import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseTotalIr } from '../../bench/micro/callgrind-totals.js';

const fixture = (name: string) => readFileSync(`test/fixtures/callgrind/${name}`, 'utf8');

describe('callgrind totals (the Ir count of one output file)', () => {
  it('reads the totals: line of a hand-made file', () => {
    expect(parseTotalIr(fixture('small.callgrind'))).toEqual({ ok: true, ir: 1000 });
  });

  it('takes the Ir column when other events come first, from summary: when there is no totals:', () => {
    expect(parseTotalIr(fixture('two-events.callgrind'))).toEqual({ ok: true, ir: 102 });
  });

  it('says what is wrong with a file it cannot read', () => {
    expect(parseTotalIr('events: Ir\n')).toEqual({ ok: false, reason: 'no totals: or summary: line' });
    expect(parseTotalIr('events: Dr\nsummary: 5\n')).toEqual({ ok: false, reason: 'no Ir event in "events: Dr"' });
    expect(parseTotalIr('events: Ir\nsummary: lots\n')).toEqual({ ok: false, reason: 'not an instruction count: "lots"' });
  });
});
