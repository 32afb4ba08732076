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

describe('npm run bench --export/--import artillery flags', () => {
  it('export one scenario, to stdout or --out FILE, for a local lab or --target-url', () => {
    expect(ok(['--export', 'artillery', '--scenario', 'mixed']).artillery).toEqual({
      kind: 'export',
      targetUrl: null,
      outFile: null,
      count: 1,
    });
    const options = ok([
      '--export',
      'artillery',
      '--scenario',
      'mixed',
      '--out',
      'm.yml',
      '--target-url',
      'https://x.test',
      '--count',
      '4',
    ]);
    expect(options.artillery).toEqual({ kind: 'export', targetUrl: 'https://x.test', outFile: 'm.yml', count: 4 });
    expect(ok(['--export', 'artillery', '--scenario', 'mixed', '--trials', '3']).trials).toBe(3);
    // A measured run keeps --out as its reports folder, and has no artillery command at all.
    expect(ok([]).out).toBe(DEFAULTS.out);
    expect(ok([])).not.toHaveProperty('artillery');
  });

  it('import a report, gated against baselines, nothing (--no-baseline) or another report', () => {
    expect(ok(['--import', 'artillery', 'r.json', '--scenario', 'mixed'])).toMatchObject({
      artillery: { kind: 'import', report: 'r.json', againstReport: null },
      mode: { kind: 'baselines' },
    });
    expect(ok(['--scenario', 'mixed', '--import', 'artillery', 'r.json', '--no-baseline']).mode).toEqual({ kind: 'plain' });
    expect(ok(['--import', 'artillery', 'r.json', '--scenario', 'mixed', '--against-report', 'o.json']).artillery).toEqual({
      kind: 'import',
      report: 'r.json',
      againstReport: 'o.json',
    });
  });

  it('refuse what cannot work, in one line', () => {
    expect(error(['--export', 'k6', '--scenario', 'mixed'])).toBe('--export: expected "artillery", got "k6"');
    expect(error(['--export', 'artillery'])).toBe('--export artillery works on one scenario: give one --scenario NAME');
    expect(error(['--import', 'artillery', 'r.json', '--scenario', 'a', '--scenario', 'b'])).toBe(
      '--import artillery works on one scenario: give one --scenario NAME',
    );
    expect(error(['--import', 'artillery', '--scenario', 'mixed'])).toBe(
      '--import artillery needs the report: --import artillery REPORT.json',
    );
    expect(error(['--import', 'artillery', 'r.json', 'extra', '--scenario', 'mixed'])).toMatch(/Unexpected argument 'extra'/);
    expect(error(['--export', 'artillery', '--import', 'artillery', '--scenario', 'mixed'])).toBe(
      '--export and --import cannot be combined: pick one',
    );
    expect(error(['--export', 'artillery', '--scenario', 'mixed', '--against', 'main'])).toBe(
      '--export artillery and --against cannot be combined',
    );
    expect(error(['--import', 'artillery', 'r.json', '--scenario', 'mixed', '--profile', '0x'])).toBe(
      '--import artillery and --profile cannot be combined',
    );
    expect(error(['--export', 'artillery', '--scenario', 'mixed', '--target-url', 'localhost:8080'])).toBe(
      '--target-url: expected an http:// or https:// URL, got "localhost:8080"',
    );
    expect(error(['--export', 'artillery', '--scenario', 'mixed', '--count', '0'])).toBe(
      '--count: expected an integer in [1, 10000], got "0"',
    );
    expect(error(['--target-url', 'http://x'])).toBe('--target-url only applies to --export artillery');
    expect(error(['--against-report', 'o.json'])).toBe('--against-report only applies to --import artillery');
    expect(error(['--export', 'artillery', '--scenario', 'm', '--against-report', 'o.json'])).toBe(
      '--against-report only applies to --import artillery',
    );
    expect(error(['--import', 'artillery', 'r.json', '--scenario', 'm', '--count', '2'])).toBe(
      '--count only applies to --export artillery',
    );
    expect(error(['--import', 'artillery', 'r.json', '--scenario', 'm', '--trials', '2'])).toBe(
      "--trials does not apply to --import: the report's periods are the trials",
    );
    expect(error(['--import', 'artillery', 'r.json', '--scenario', 'm', '--against-report', 'o.json', '--no-baseline'])).toBe(
      '--against-report and --no-baseline cannot be combined',
    );
  });
});
