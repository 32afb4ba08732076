import { pino } from 'pino';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createTracker } from '../../server/metrics/track.js';

const busyWait = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

function capture(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  return { lines, logger: pino({ level }, stream) };
}

describe('track(section)', () => {
  it('returns a stop function that measures, records once and returns the duration', () => {
    const observed: Array<[string, number]> = [];
    const track = createTracker((section, ms) => observed.push([section, ms]), pino({ level: 'silent' }));
    const stop = track('loop');
    busyWait(5);
    const durationMs = stop();
    expect(durationMs).toBeGreaterThanOrEqual(5);
    expect(stop()).toBe(durationMs);
    expect(observed).toEqual([['loop', durationMs]]);
  });

  it('works with `using`: the section ends when the block does, even on throw', () => {
    const observed: string[] = [];
    const track = createTracker((section) => observed.push(section), pino({ level: 'silent' }));
    {
      using _db = track('db_query');
      expect(observed).toEqual([]);
    }
    expect(observed).toEqual(['db_query']);
    expect(() => {
      using _failing = track('json_encode');
      throw new Error('boom');
    }).toThrow('boom');
    expect(observed).toEqual(['db_query', 'json_encode']);
  });

  it('logs a start and an end line at debug level, like Go', async () => {
    const { lines, logger } = capture('debug');
    const stop = createTracker(() => {}, logger)('loop');
    stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((l) => [l.msg, l.section, l.phase ?? typeof l.duration_ms])).toEqual([
      ['metrics.track', 'loop', 'start'],
      ['metrics.track', 'loop', 'number'],
    ]);
  });

  it('logs nothing at info level', async () => {
    const { lines, logger } = capture('info');
    createTracker(() => {}, logger)('loop')();
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toEqual([]);
  });
});
