import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseReportArgs } from '../../bench/bin/report.js';

describe('npm run report arguments', () => {
  it('default to the latest run, accept a run folder or its results.json, or --all', () => {
    expect(parseReportArgs([])).toEqual({ kind: 'ok', options: { kind: 'one', runDir: DEFAULTS.runDir, given: false } });
    expect(parseReportArgs(['reports/r1/results.json'])).toEqual({
      kind: 'ok',
      options: { kind: 'one', runDir: join('reports', 'r1'), given: true },
    });
    expect(parseReportArgs(['--all', '--reports', 'out'])).toEqual({ kind: 'ok', options: { kind: 'all', reportsDir: 'out' } });
    expect(parseReportArgs(['--help'])).toEqual({ kind: 'help' });
  });

  it('refuse contradictions', () => {
    expect(parseReportArgs(['a', 'b'])).toEqual({ kind: 'error', message: 'expected at most one RUN_DIR, got 2: a b' });
    expect(parseReportArgs(['--all', 'a'])).toEqual({
      kind: 'error',
      message: '--all regenerates every run; give either --all or a RUN_DIR',
    });
    expect(parseReportArgs(['--reports', 'x'])).toEqual({ kind: 'error', message: '--reports only applies to --all' });
  });
});
