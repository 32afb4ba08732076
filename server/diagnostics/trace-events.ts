/**
 * Chrome trace-event JSON (what Perfetto and chrome://tracing open), and JS CPU samples turned
 * into it. Perfetto ignores V8's own JSON CPU-sample events, so samples become nested complete
 * ("X") slices on a track of their own: a flame chart over time beside the trace.
 */
import type { CpuProfile } from './cpu-profile.js';
import { displayName, sourcePath } from './pprof-encode.js';

export interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  /** Microseconds on the trace clock (V8's profile timestamps use the same monotonic clock). */
  ts: number;
  dur?: number;
  cat?: string;
  args?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface SampleTrack {
  pid: number;
  tid: number;
  name: string;
}

export const CPU_SAMPLE_CATEGORY = 'metric-lab.cpu_samples';

export function cpuProfileToTraceEvents(cpu: CpuProfile, track: SampleTrack): TraceEvent[] {
  const byId = new Map(cpu.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of cpu.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const stacks = new Map<number, number[]>();
  const stackOf = (leafId: number): number[] => {
    let stack = stacks.get(leafId);
    if (stack) return stack;
    stack = [];
    for (let id: number | undefined = leafId; id !== undefined; id = parentOf.get(id)) {
      const name = byId.get(id)?.callFrame.functionName;
      if (name === '(root)') break;
      // An idle sample means no JS ran: the track shows a gap.
      if (name === '(idle)') return (stacks.set(leafId, []), []);
      stack.push(id);
    }
    stack.reverse();
    stacks.set(leafId, stack);
    return stack;
  };

  const events: TraceEvent[] = [{ name: 'thread_name', ph: 'M', pid: track.pid, tid: track.tid, ts: 0, args: { name: track.name } }];
  const open: { nodeId: number; startUs: number }[] = [];
  const closeDownTo = (depth: number, atUs: number) => {
    while (open.length > depth) {
      const frame = open.pop()!;
      const callFrame = byId.get(frame.nodeId)!.callFrame;
      const file = sourcePath(callFrame.url);
      events.push({
        name: displayName(callFrame, file),
        cat: CPU_SAMPLE_CATEGORY,
        ph: 'X',
        pid: track.pid,
        tid: track.tid,
        ts: frame.startUs,
        dur: atUs - frame.startUs,
        args: { file, line: callFrame.lineNumber + 1 },
      });
    }
  };

  const samples = cpu.samples ?? [];
  const deltas = cpu.timeDeltas ?? [];
  let nowUs = cpu.startTime;
  for (let i = 0; i < samples.length; i++) {
    // V8 occasionally records a negative delta; time must not run backwards inside a track.
    nowUs += Math.max(0, deltas[i] ?? 0);
    const stack = stackOf(samples[i]!);
    let common = 0;
    while (common < open.length && common < stack.length && open[common]!.nodeId === stack[common]) common++;
    closeDownTo(common, nowUs);
    for (let depth = common; depth < stack.length; depth++) open.push({ nodeId: stack[depth]!, startUs: nowUs });
  }
  closeDownTo(0, Math.max(nowUs, cpu.endTime));
  // Parents before children at equal start times, so importers nest them correctly.
  return events.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
}

/** The JSON document in pieces, so a large trace is never one giant string. */
export function* traceJsonChunks(events: readonly TraceEvent[], eventsPerChunk = 5_000): Generator<string> {
  yield '{"displayTimeUnit":"ms","traceEvents":[\n';
  for (let start = 0; start < events.length; start += eventsPerChunk) {
    const piece = events.slice(start, start + eventsPerChunk).map((event) => JSON.stringify(event));
    yield (start === 0 ? '' : ',\n') + piece.join(',\n');
  }
  yield '\n]}\n';
}
