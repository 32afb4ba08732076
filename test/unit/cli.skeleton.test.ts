import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isEntryPoint, oneLine, parseWholeNumber, parseWholeNumbers, runCli } from '../../lib/cli.js';

describe('the shared command-line skeleton', () => {
  afterEach(() => vi.restoreAllMocks());

  it('runs a module only when it is the script node started (also through a symlink)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-'));
    const script = join(dir, 'tool.js');
    await writeFile(script, '');
    await symlink(script, join(dir, 'link.js'));
    const url = pathToFileURL(script).href;
    expect(isEntryPoint(url, script)).toBe(true);
    expect(isEntryPoint(url, join(dir, 'link.js'))).toBe(true);
    expect(isEntryPoint(url, join(dir, 'other.js'))).toBe(false);
    expect(isEntryPoint(url, undefined)).toBe(false);
  });

  it('routes help to stdout with exit 0, a usage error to one stderr line with exit 2, and ok to main', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const main = vi.fn(async (options: { n: number }) => options.n);
    const spec = {
      tool: 'demo',
      usage: 'Usage: demo',
      parse: (argv: readonly string[]) =>
        argv[0] === '-h'
          ? ({ kind: 'help' } as const)
          : argv[0] === 'x'
            ? ({ kind: 'error', message: 'bad x' } as const)
            : ({ kind: 'ok', options: { n: 7 } } as const),
      main,
    };
    expect(await runCli(spec, ['-h'])).toBe(0);
    expect(out).toHaveBeenCalledWith('Usage: demo\n');
    expect(await runCli(spec, ['x'])).toBe(2);
    expect(err).toHaveBeenCalledWith('demo: bad x (see --help)\n');
    expect(await runCli(spec, [])).toBe(7);
    expect(main).toHaveBeenCalledTimes(1);
  });

  it('reads whole numbers within bounds and names the flag otherwise', () => {
    expect(parseWholeNumber('--n', '12', 1, 100)).toEqual({ ok: true, value: 12 });
    for (const bad of ['0', '101', '1.5', '-3', '', 'abc', '1e3'])
      expect(parseWholeNumber('--n', bad, 1, 100)).toEqual({
        ok: false,
        message: `--n: expected an integer in [1, 100], got ${JSON.stringify(bad)}`,
      });
    expect(parseWholeNumbers({ a: '1', b: '2' }, { a: [0, 5], b: [0, 5] })).toEqual({ ok: true, values: { a: 1, b: 2 } });
    expect(parseWholeNumbers({ a: '1', b: '9' }, { a: [0, 5], b: [0, 5] })).toEqual({
      ok: false,
      message: '--b: expected an integer in [0, 5], got "9"',
    });
    expect(oneLine(new Error('a\nb'))).toBe('a b');
  });
});
