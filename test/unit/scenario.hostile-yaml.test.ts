import { describe, expect, it } from 'vitest';
import { formatScenarioError, parseScenario } from '../../bench/scenario/load.js';

const errors = (text: string) => {
  const result = parseScenario(text, 'bad.yaml');
  return result.ok ? [] : result.errors.map(formatScenarioError);
};

describe('hostile or odd scenario files', () => {
  it('refuse a YAML alias bomb with one line instead of expanding it', () => {
    // Line 1 holds 9 strings; every next line repeats the previous alias 9 times: 9^9 strings at level 8.
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let level = 1; level <= 8; level++) {
      const name = String.fromCharCode(97 + level);
      const previous = String.fromCharCode(96 + level);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const started = performance.now();
    expect(errors(lines.join('\n'))).toEqual([
      'bad.yaml: YAML aliases expand too far (more than 100 alias uses): Excessive alias count indicates a resource exhaustion attack',
    ]);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('name an infinite number as what it is, not "null"', () => {
    expect(errors('description: t\nload: { rate_rps: 1e400 }\n')).toEqual([
      'bad.yaml:2:19: load.rate_rps: expected a number, got Infinity',
    ]);
  });
});
