import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseBenchArgs } from '../../bench/bin/bench.js';

const ok = (argv: string[]) => {
  const parsed = parseBenchArgs(argv);
  if (parsed.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(parsed)}`);
  return parsed.options;
};
const error = (argv: string[]) => {
  const parsed = parseBenchArgs(argv);
  return parsed.kind === 'error' ? parsed.message : `not an error: ${parsed.kind}`;
};

describe('npm run bench flags', () => {
  it('default to the whole suite gated against committed baselines', () => {
    expect(ok([])).toEqual({
      scenarios: [],
      trials: null,
      json: false,
      out: DEFAULTS.out,
      scenariosDir: DEFAULTS.scenariosDir,
      list: false,
      mode: { kind: 'baselines' },
      maxLooks: DEFAULTS.maxLooks,
      budgetSeconds: DEFAULTS.budgetSeconds,
      baselinesDir: DEFAULTS.baselinesDir,
      profile: null,
      regressionProfile: true,
    });
    expect(parseBenchArgs(['-h'])).toEqual({ kind: 'help' });
  });

  it('pick one mode', () => {
    expect(ok(['--against', 'origin/main']).mode).toEqual({ kind: 'against', ref: 'origin/main' });
    expect(ok(['--calibrate']).mode).toEqual({ kind: 'calibrate', writeMargins: false });
    expect(ok(['--calibrate', '--write-margins']).mode).toEqual({ kind: 'calibrate', writeMargins: true });
    expect(ok(['--update-baseline', '--reason', ' new loop ']).mode).toEqual({ kind: 'update-baseline', reason: 'new loop' });
    expect(ok(['--no-baseline']).mode).toEqual({ kind: 'plain' });
    expect(ok(['--scenario', 'a', '--scenario', 'b', '--trials', '7', '--json', '--profile', '0x', '--no-confirm']).scenarios).toEqual([
      'a',
      'b',
    ]);
  });

  it('refuse what cannot work, in one line', () => {
    expect(error(['--against', 'x', '--calibrate'])).toBe('--against and --calibrate cannot be combined: pick one');
    expect(error(['--against', ' '])).toBe('--against: expected a git ref, got ""');
    expect(error(['--update-baseline'])).toBe(
      '--update-baseline needs --reason "why the baselines change" (baselines are reviewed like code)',
    );
    expect(error(['--reason', 'x'])).toBe('--reason only applies to --update-baseline');
    expect(error(['--write-margins'])).toBe('--write-margins only applies to --calibrate (margins come from an A/A run)');
    expect(error(['--trials', '0'])).toBe('--trials: expected an integer in [1, 100], got "0"');
    expect(error(['--profile', 'perf'])).toBe('--profile: expected one of 0x, clinic-flame, clinic-doctor, cpuprofile, got "perf"');
    expect(error(['--max-looks', '0'])).toBe('--max-looks: expected an integer in [1, 10], got "0"');
    expect(error(['--no-confirm', '--max-looks', '3'])).toBe('--no-confirm means --max-looks 1: give one of them');
    expect(ok(['--no-confirm']).maxLooks).toBe(1);
    expect(ok(['--budget-seconds', '600']).budgetSeconds).toBe(600);
    expect(error(['--bogus'])).toMatch(/^Unknown option '--bogus'/);
    expect(error(['positional'])).toMatch(/Unexpected argument 'positional'/);
  });
});
