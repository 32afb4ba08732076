import { describe, expect, it } from 'vitest';
import { parseServerConfig } from '../../server/config.js';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseServerConfig(argv, env);

describe('server flags and environment', () => {
  it('defaults to Go: app on 8080, diagnostics on loopback 6060, Go knobs, 5 s grace', () => {
    const result = parse([]);
    expect(result.kind).toBe('config');
    if (result.kind !== 'config') return;
    expect(result.config).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      pprof: { host: '127.0.0.1', port: 6060 },
      logLevel: 'info',
      metrics: true,
      runtimeMetrics: true,
      shutdownGraceMs: 5_000,
      knobs: { dbMinMs: 50, dbMaxMs: 200, loopIterations: 100_000, seed: null },
    });
  });

  it('reads the environment, and flags win over it', () => {
    const result = parse(['--loop-iterations', '2000'], {
      PORT: '0',
      LAB_LOOP_ITERATIONS: '1000',
      LAB_DB_MAX_MS: '10',
      LAB_DB_MIN_MS: '1',
    });
    expect(result).toMatchObject({ kind: 'config', config: { port: 0, knobs: { loopIterations: 2000, dbMinMs: 1, dbMaxMs: 10 } } });
  });

  it('lets limits widen the knob ranges', () => {
    expect(parse(['--loop-iterations', '200000000'])).toMatchObject({ kind: 'error' });
    expect(parse(['--loop-iterations', '200000000', '--max-loop-iterations', '300000000'])).toMatchObject({
      kind: 'config',
      config: { knobs: { loopIterations: 200_000_000 } },
    });
  });

  it.each([
    [['--port', 'http'], '--port: expected an integer in [0, 65535], got "http"'],
    [['--port', '70000'], '--port: expected an integer in [0, 65535], got "70000"'],
    [['--db-min-ms=-3'], '--db-min-ms: expected a number in [0, 10000], got "-3"'],
    [['--db-min-ms', '300'], '--db-max-ms: expected a value >= db_min_ms (300), got "200"'],
    [['--loop-impl', 'fast'], '--loop-impl: expected one of number, bigint, got "fast"'],
    [['--metrics', 'yes'], '--metrics: expected one of on, off, got "yes"'],
    [['--log-level', 'loud'], '--log-level: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
  ])('rejects %j with one clear line', (argv, message) => {
    expect(parse(argv)).toEqual({ kind: 'error', message });
  });

  it('names the environment variable when the bad value came from there', () => {
    expect(parse([], { LAB_LOOP_ITERATIONS: 'lots' })).toEqual({
      kind: 'error',
      message: 'LAB_LOOP_ITERATIONS (environment): expected an integer in [0, 100000000], got "lots"',
    });
  });

  it('rejects unknown flags and ambiguous values on one line', () => {
    const unknown = parse(['--prot', '1']);
    expect(unknown.kind === 'error' && unknown.message).toContain("'--prot'");
    const ambiguous = parse(['--db-min-ms', '-3']);
    expect(ambiguous.kind === 'error' && ambiguous.message).toContain("'--db-min-ms=-XYZ'");
    expect(ambiguous.kind === 'error' && ambiguous.message).not.toContain('\n');
  });

  it('keeps the diagnostics server on loopback unless explicitly allowed', () => {
    expect(parse(['--pprof-host', '0.0.0.0'])).toMatchObject({ kind: 'error' });
    expect(parse(['--pprof-host', '::1'])).toMatchObject({ kind: 'config', config: { pprof: { host: '::1' } } });
    expect(parse(['--pprof-host', '0.0.0.0', '--pprof-allow-remote'])).toMatchObject({
      kind: 'config',
      config: { pprof: { host: '0.0.0.0' } },
    });
    expect(parse(['--pprof-port', 'off'])).toMatchObject({ kind: 'config', config: { pprof: null } });
  });

  it('--help asks for usage', () => {
    expect(parse(['--help'])).toEqual({ kind: 'help' });
    expect(parse(['-h'])).toEqual({ kind: 'help' });
  });
});
