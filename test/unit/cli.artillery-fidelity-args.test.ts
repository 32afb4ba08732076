import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseArtilleryFidelityArgs } from '../../bench/bin/artillery-fidelity.js';

describe('npm run bench:artillery-fidelity flags', () => {
  it('default to the mixed scenario, 2 rounds of 3 windows', () => {
    expect(parseArtilleryFidelityArgs([])).toEqual({
      kind: 'ok',
      options: { scenario: DEFAULTS.scenario, scenariosDir: 'scenarios', rounds: 2, windows: 3, json: false },
    });
    expect(parseArtilleryFidelityArgs(['--scenario', 'slow-db', '--rounds', '4', '--windows', '6', '--json'])).toMatchObject({
      kind: 'ok',
      options: { scenario: 'slow-db', rounds: 4, windows: 6, json: true },
    });
    expect(parseArtilleryFidelityArgs(['--help'])).toEqual({ kind: 'help' });
  });

  it('refuse bad values in one line', () => {
    expect(parseArtilleryFidelityArgs(['--rounds', '0'])).toEqual({
      kind: 'error',
      message: '--rounds: expected an integer in [1, 20], got "0"',
    });
    expect(parseArtilleryFidelityArgs(['--windows', 'x'])).toEqual({
      kind: 'error',
      message: '--windows: expected an integer in [1, 30], got "x"',
    });
    expect(parseArtilleryFidelityArgs(['--bogus'])).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/^Unknown option '--bogus'/),
    });
  });
});
