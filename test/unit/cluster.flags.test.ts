import { describe, expect, it } from 'vitest';
import { parseServerConfig } from '../../server/config.js';

describe('--workers', () => {
  it('defaults to one process with the diagnostics server', () => {
    expect(parseServerConfig([], {})).toMatchObject({ kind: 'config', config: { workers: 1, pprof: { port: 6060 } } });
  });

  it('turns the diagnostics server off in cluster mode', () => {
    expect(parseServerConfig(['--workers', '2'], {})).toMatchObject({ kind: 'config', config: { workers: 2, pprof: null } });
    expect(parseServerConfig(['--pprof-port', 'off'], { LAB_WORKERS: '3' })).toMatchObject({
      kind: 'config',
      config: { workers: 3, pprof: null },
    });
  });

  it.each([
    [['--workers', '0'], '--workers: expected an integer in [1, 64], got "0"'],
    [['--workers', 'all'], '--workers: expected an integer in [1, 64], got "all"'],
    [
      ['--workers', '2', '--pprof-port', '6060'],
      '--pprof-port: the diagnostics server profiles one process and is off with --workers 2; expected "off" or --workers 1, got "6060"',
    ],
  ])('rejects %j with one clear line', (argv, message) => {
    expect(parseServerConfig(argv, {})).toEqual({ kind: 'error', message });
  });
});
