import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { functionCosts, topFunctions } from '../../bench/micro/callgrind-functions.js';
import { nameJitCode, parsePerfMap } from '../../bench/micro/perf-map.js';

const fixture = (name: string) => readFileSync(`test/fixtures/callgrind/${name}`, 'utf8');

describe('callgrind fn records → top functions by self instructions', () => {
  it('sums each function’s own cost lines, not the inclusive cost after calls=, across repeated fn=(id)', () => {
    // main: 100 + 50 + 100 (its record reopened by id); helper: 300 + 50; JIT code: 400.
    const costs = functionCosts(fixture('small.callgrind'));
    expect(costs).toEqual([
      { name: '0x000000000d04e540', object: '???', selfIr: 400 },
      { name: 'helper', object: '/usr/bin/node', selfIr: 350 },
      { name: 'main', object: '/usr/bin/node', selfIr: 250 },
    ]);
    expect(costs.reduce((sum, c) => sum + c.selfIr, 0)).toBe(1000); // = the file's totals
  });

  it('reads the Ir column after several position columns; a line without it costs nothing', () => {
    expect(functionCosts(fixture('two-events.callgrind'))).toEqual([{ name: 'a', object: '???', selfIr: 100 }]);
  });

  it('keeps the n costliest with their share of the total', () => {
    const top = topFunctions(functionCosts(fixture('small.callgrind')), 2, 1000);
    expect(top.map((f) => [f.name, f.share])).toEqual([
      ['0x000000000d04e540', 0.4],
      ['helper', 0.35],
    ]);
  });

  it('names JIT code from V8’s perf map (the latest range holding the address) and merges equal names', () => {
    const ranges = parsePerfMap('d04e000 100 JS:~simulateLoop file:///x.js:1:1\nd04e500 80 JS:*simulateLoop file:///x.js:1:1\nbad line\n');
    expect(ranges).toHaveLength(2);
    const named = nameJitCode(
      [
        { name: '0x000000000d04e540', object: '???', selfIr: 400 },
        { name: '0x000000000d04e560', object: '???', selfIr: 10 },
        { name: '0x00000000000000ff', object: '???', selfIr: 5 },
        { name: 'helper', object: '/usr/bin/node', selfIr: 350 },
      ],
      ranges,
    );
    expect(named).toEqual([
      { name: 'JS:*simulateLoop file:///x.js:1:1', object: '???', selfIr: 410 },
      { name: 'helper', object: '/usr/bin/node', selfIr: 350 },
      { name: '0x00000000000000ff', object: '???', selfIr: 5 },
    ]);
  });
});
