import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseInstructionsArgs, summarize } from '../../bench/bin/instructions.js';
import { TASK_NAMES } from '../../bench/micro/task-sizes.js';

const DEFAULT_SIZES = {
  loop: { iterations: 200_000 },
  'payload-build': { items: 64, itemBytes: 1024 },
  'response-encode': { items: 64, itemBytes: 1024 },
  track: { calls: 1000 },
  metrics: { series: 8 },
};

describe('npm run bench:instructions', () => {
  it('parses its flags, with defaults in one place', () => {
    expect(parseInstructionsArgs([])).toEqual({
      kind: 'ok',
      options: {
        tasks: TASK_NAMES,
        sizes: DEFAULT_SIZES,
        runs: DEFAULTS.runs,
        top: 0,
        timeoutSeconds: DEFAULTS.timeoutSeconds,
        json: false,
      },
    });
    const parsed = parseInstructionsArgs([
      '--task',
      'loop',
      '--task',
      'track',
      '--task',
      'loop',
      '--size',
      'loop.iterations=202000',
      '--runs',
      '10',
      '--top',
      '5',
      '--json',
    ]);
    expect(parsed).toEqual({
      kind: 'ok',
      options: {
        tasks: ['loop', 'track'],
        sizes: { ...DEFAULT_SIZES, loop: { iterations: 202_000 } },
        runs: 10,
        top: 5,
        timeoutSeconds: DEFAULTS.timeoutSeconds,
        json: true,
      },
    });
    expect(parseInstructionsArgs(['-h'])).toEqual({ kind: 'help' });
  });

  it('names the flag and what was wrong in one line', () => {
    expect(parseInstructionsArgs(['--task', 'nope'])).toEqual({
      kind: 'error',
      message: '--task: unknown task "nope" (tasks: loop, payload-build, response-encode, track, metrics)',
    });
    expect(parseInstructionsArgs(['--size', 'loop=5'])).toEqual({ kind: 'error', message: '--size: expected TASK.PARAM=N, got "loop=5"' });
    expect(parseInstructionsArgs(['--size', 'loop.iterations=0'])).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/^--size loop\.iterations: /),
    });
    expect(parseInstructionsArgs(['--size', 'loop.items=5'])).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/^--size loop\.items: /),
    });
    expect(parseInstructionsArgs(['--runs', '0'])).toEqual({ kind: 'error', message: '--runs: expected an integer in [1, 100], got "0"' });
  });

  it('summarizes runs per task: the spread over the counted runs, none when nothing counted', () => {
    const ok = (n: number) => ({
      status: 'ok' as const,
      task: 'loop' as const,
      size: { iterations: 200_000 },
      warmupOps: 30,
      measuredOps: 10,
      instructionsPerOp: n,
      unit: 'iteration',
      instructionsPerUnit: n / 200_000,
      segments: { setupIr: 0, emptyIr: 0, measuredIr: 0 },
      wallMs: 1,
      top: [],
    });
    const skipped = { status: 'skipped' as const, task: 'track' as const, reason: 'valgrind not found (apt-get install valgrind)' };
    const [loop, track] = summarize(['loop', 'track'], DEFAULT_SIZES, [
      [ok(100), skipped],
      [ok(102), skipped],
    ]);
    expect(loop?.instructionsPerOp).toEqual({ min: 100, median: 101, max: 102, relative: 2 / 101 });
    expect(track?.instructionsPerOp).toBeUndefined();
    expect(track?.runs).toEqual([skipped, skipped]);
  });
});
