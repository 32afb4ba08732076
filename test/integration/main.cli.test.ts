import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = (args: string[]) =>
  promisify(execFile)(process.execPath, ['dist/server/main.js', ...args], { timeout: 10_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

describe('npm start (server/main.ts)', () => {
  it('--help prints usage with every knob and exits 0', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const flag of ['--port', '--pprof-port', '--db-min-ms', '--loop-iterations', '--payload-items', '--seed', '--max-payload-bytes']) {
      expect(stdout).toContain(flag);
    }
  });

  it('a bad flag gets one line on stderr and exit code 2', async () => {
    const { code, stdout, stderr } = await run(['--port', 'abc']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual(['metric-lab: --port: expected an integer in [0, 65535], got "abc" (see --help)']);
  });

  it('a port in use gets a clear line, not a stack trace, and exit code 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const { code, stderr } = await run(['--port', String(port), '--pprof-port', '0']);
      expect(code).toBe(1);
      expect(stderr).toContain(`cannot listen for the app server on 127.0.0.1:${port}: address already in use`);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });
});
