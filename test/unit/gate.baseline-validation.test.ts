import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBaseline } from '../../ci/baseline/store.js';

/** A committed baseline of this repository, edited by hand. */
async function edited(edit: (baseline: Record<string, unknown>) => void): Promise<string> {
  const baseline = JSON.parse(await readFile(new URL('../../ci/baselines/hot-loop.json', import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
  edit(baseline);
  const dir = await mkdtemp(join(tmpdir(), 'baselines-'));
  await writeFile(join(dir, 'hot-loop.json'), JSON.stringify(baseline));
  return dir;
}

describe('a hand-edited baseline file', () => {
  it('is read in full when intact', async () => {
    const result = await readBaseline(await edited(() => {}), 'hot-loop');
    expect(result.status).toBe('found');
  });

  it('without environment.os is one clear line, not a TypeError later', async () => {
    const dir = await edited((b) => delete (b.environment as Record<string, unknown>).os);
    expect(await readBaseline(dir, 'hot-loop')).toEqual({
      status: 'broken',
      message: `${join(dir, 'hot-loop.json')}: environment.os: Invalid input: expected object, received undefined; re-record it with npm run baseline`,
    });
  });

  it('names the first bad field anywhere in it', async () => {
    const dir = await edited((b) => ((b.trials as Array<{ metrics: Record<string, unknown> }>)[0]!.metrics.p95_ms = 'fast'));
    const result = await readBaseline(dir, 'hot-loop');
    expect(result).toMatchObject({
      status: 'broken',
      message: expect.stringContaining(': trials.0.metrics.p95_ms: Invalid input: expected number, received string;'),
    });
  });
});
