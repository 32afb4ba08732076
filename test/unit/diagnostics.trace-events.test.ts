import { describe, expect, it } from 'vitest';
import type { CpuProfile } from '../../server/diagnostics/cpu-profile.js';
import { cpuProfileToTraceEvents, traceJsonChunks, type TraceEvent } from '../../server/diagnostics/trace-events.js';

const frame = (functionName: string) => ({ functionName, scriptId: '1', url: 'file:///app/x.js', lineNumber: 0, columnNumber: 0 });

// (root) -> a -> b, (root) -> c, (idle)
const CPU: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 4, 5] },
    { id: 2, callFrame: frame('a'), children: [3] },
    { id: 3, callFrame: frame('b') },
    { id: 4, callFrame: frame('c') },
    { id: 5, callFrame: frame('(idle)') },
  ],
  startTime: 100,
  endTime: 200,
  // t = 110 a/b, 120 a/b, 130 a, 140 idle, 150 c, 160 c (then until endTime)
  samples: [3, 3, 2, 5, 4, 4],
  timeDeltas: [10, 10, 10, 10, 10, 10],
};

const slices = (events: TraceEvent[]) => events.filter((e) => e.ph === 'X').map((e) => `${e.name} ${e.ts}+${e.dur}`);

describe('cpuProfileToTraceEvents', () => {
  it('turns consecutive samples into nested slices, with gaps where the loop was idle', () => {
    const events = cpuProfileToTraceEvents(CPU, { pid: 7, tid: 99, name: 'JS samples' });
    expect(slices(events)).toEqual(['a 110+30', 'b 110+20', 'c 150+50']);
    expect(events[0]).toEqual({ name: 'thread_name', ph: 'M', pid: 7, tid: 99, ts: 0, args: { name: 'JS samples' } });
    expect(events.every((e) => e.pid === 7 && e.tid === 99)).toBe(true);
  });

  it('never lets time run backwards on a negative V8 time delta', () => {
    const events = cpuProfileToTraceEvents({ ...CPU, timeDeltas: [10, 10, -5, 10, 10, 10] }, { pid: 1, tid: 2, name: 't' });
    expect(events.filter((e) => e.ph === 'X').every((e) => (e.dur ?? -1) >= 0)).toBe(true);
  });
});

describe('traceJsonChunks', () => {
  it('joins into one valid trace-event JSON document across chunk boundaries', () => {
    const events: TraceEvent[] = Array.from({ length: 7 }, (_, i) => ({ name: `e${i}`, ph: 'i', pid: 1, tid: 1, ts: i }));
    const text = [...traceJsonChunks(events, 3)].join('');
    expect(JSON.parse(text)).toEqual({ displayTimeUnit: 'ms', traceEvents: events });
    expect(JSON.parse([...traceJsonChunks([])].join(''))).toEqual({ displayTimeUnit: 'ms', traceEvents: [] });
  });
});
