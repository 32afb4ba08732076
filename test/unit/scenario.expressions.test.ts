import { describe, expect, it } from 'vitest';
import { parseAllowedChange, parseThreshold, thresholdHolds } from '../../bench/scenario/expressions.js';
import { evaluateThresholds } from '../../bench/results/thresholds.js';

describe('threshold expressions', () => {
  it.each([
    ['< 250', 249.9, true],
    ['< 250', 250, false],
    ['<=250', 250, true],
    ['> 0.5', 0.6, true],
    ['>= 10', 9.99, false],
    ['== 0', 0, true],
    ['< 1e3', 999, true],
  ])('%s holds for %d: %s', (source, actual, holds) => {
    const expression = parseThreshold(source);
    expect(expression).not.toBeNull();
    if (expression) expect(thresholdHolds(expression, actual)).toBe(holds);
  });

  it.each(['250', '< fast', 'p(95) < 250', '<< 3', ''])('rejects %j', (source) => {
    expect(parseThreshold(source)).toBeNull();
  });

  it('fails a threshold whose metric has no value', () => {
    const rules = [{ metric: 'section.loop.p95_ms', expression: parseThreshold('< 10')! }];
    expect(evaluateThresholds(rules, {})).toEqual([{ metric: 'section.loop.p95_ms', expression: '< 10', actual: null, pass: false }]);
    expect(evaluateThresholds(rules, { 'section.loop.p95_ms': 4 })[0]?.pass).toBe(true);
  });
});

describe('allowed regressions', () => {
  it('reads relative and absolute changes with their direction', () => {
    expect(parseAllowedChange('+10%')).toEqual({ kind: 'relative', fraction: 0.1, direction: 'increase', source: '+10%' });
    expect(parseAllowedChange('-5.5%')).toEqual({ kind: 'relative', fraction: 0.055, direction: 'decrease', source: '-5.5%' });
    expect(parseAllowedChange('+0.01')).toEqual({ kind: 'absolute', amount: 0.01, direction: 'increase', source: '+0.01' });
  });

  it.each(['10%', '+ten%', '+10%%', ''])('rejects %j', (source) => {
    expect(parseAllowedChange(source)).toBeNull();
  });
});
