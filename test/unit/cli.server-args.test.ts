import { describe, expect, it } from 'vitest';
import { parseProfileArgs } from '../../server/cli/profile.js';
import { parseSnapshotArgs } from '../../server/cli/snapshot.js';
import { parseLabArgs } from '../../server/main.js';

describe("the lab's command lines", () => {
  it('npm start: flags and variables, one shape', () => {
    const parsed = parseLabArgs(['--port', '0'], { LAB_LOOP_ITERATIONS: '500' });
    expect(parsed).toMatchObject({ kind: 'ok', options: { port: 0, knobs: { loopIterations: 500 } } });
    expect(parseLabArgs(['--help'], {})).toEqual({ kind: 'help' });
    expect(parseLabArgs(['--port', 'abc'], {})).toEqual({ kind: 'error', message: '--port: expected an integer in [0, 65535], got "abc"' });
  });

  it('npm run snapshot: a base URL or a /metrics URL', () => {
    expect(parseSnapshotArgs([])).toEqual({ kind: 'ok', options: { metricsUrl: 'http://127.0.0.1:8080/metrics', json: false } });
    expect(parseSnapshotArgs(['--url', 'http://127.0.0.1:9/x/', '--json'])).toEqual({
      kind: 'ok',
      options: { metricsUrl: 'http://127.0.0.1:9/x/metrics', json: true },
    });
    expect(parseSnapshotArgs(['--url', 'ftp://x'])).toEqual({
      kind: 'error',
      message: '--url: expected an http:// or https:// URL, got "ftp://x"',
    });
  });

  it('npm run profile: the kind decides which flags apply', () => {
    expect(parseProfileArgs(['--kind', 'cpu', '--seconds', '2'])).toMatchObject({ kind: 'ok', options: { kind: 'cpu', seconds: 2 } });
    expect(parseProfileArgs(['--kind', 'gpu'])).toMatchObject({ kind: 'error', message: expect.stringMatching(/^--kind: expected /) });
    expect(parseProfileArgs(['--kind', 'cpu', '--mode', 'alloc'])).toMatchObject({
      kind: 'error',
      message: '--mode: applies to --kind heap only, got --kind cpu',
    });
  });
});
