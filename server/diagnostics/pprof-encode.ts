/**
 * Pure conversions from V8's profile formats to pprof's protobuf (via `pprof-format`), so that
 * `go tool pprof` shows JS function names, files and lines.
 */
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Function as PprofFunction, Line, Location, Mapping, Profile, Sample, StringTable, ValueType } from 'pprof-format';
import type { CpuProfile } from './cpu-profile.js';
import type { HeapProfile, HeapProfileNode } from './heap-profile.js';

interface CallFrame {
  functionName: string;
  url: string;
  /** 0-based, as V8 reports it. */
  lineNumber: number;
  columnNumber: number;
}

/** V8 bookkeeping nodes that are not code: `(idle)` is time the loop waited, not CPU time. */
const NOT_CPU = new Set(['(idle)']);
const ROOT = '(root)';

export interface CpuPprofOptions {
  startedEpochMs: number;
}

export function cpuProfileToPprof(cpu: CpuProfile, options: CpuPprofOptions): Profile {
  const builder = new PprofBuilder();
  const durationUs = Math.max(0, cpu.endTime - cpu.startTime);
  const sampleCount = cpu.samples?.length ?? 0;
  // V8 samples late under load; the observed mean interval turns counts into CPU time faithfully.
  const periodNs = Math.round(sampleCount > 0 ? (durationUs * 1000) / sampleCount : 1_000_000);

  const byId = new Map(cpu.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of cpu.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  // Callers' locations are the same for every sample under a node; build each chain once.
  const callerChains = new Map<number, number[]>();
  const callers = (nodeId: number): number[] => {
    const cached = callerChains.get(nodeId);
    if (cached) return cached;
    const chain: number[] = [];
    for (let id = parentOf.get(nodeId); id !== undefined; id = parentOf.get(id)) {
      const node = byId.get(id);
      if (!node || node.callFrame.functionName === ROOT) break;
      chain.push(builder.location(node.callFrame, node.callFrame.lineNumber + 1));
    }
    callerChains.set(nodeId, chain);
    return chain;
  };

  const samples: Sample[] = [];
  for (const node of cpu.nodes) {
    const name = node.callFrame.functionName;
    const hits = node.hitCount ?? 0;
    if (hits === 0 || name === ROOT || NOT_CPU.has(name)) continue;
    // positionTicks split a function's hits by source line; whatever they miss goes to its first line.
    const lines = (node.positionTicks ?? []).map((tick) => ({ line: tick.line, ticks: tick.ticks }));
    const attributed = lines.reduce((sum, l) => sum + l.ticks, 0);
    if (attributed < hits) lines.push({ line: node.callFrame.lineNumber + 1, ticks: hits - attributed });
    for (const { line, ticks } of lines) {
      if (ticks <= 0) continue;
      samples.push(
        new Sample({ locationId: [builder.location(node.callFrame, line), ...callers(node.id)], value: [ticks, ticks * periodNs] }),
      );
    }
  }

  const strings = builder.strings;
  const cpuType = new ValueType({ type: strings.dedup('cpu'), unit: strings.dedup('nanoseconds') });
  return builder.build({
    sampleType: [new ValueType({ type: strings.dedup('samples'), unit: strings.dedup('count') }), cpuType],
    sample: samples,
    periodType: cpuType,
    period: periodNs,
    timeNanos: BigInt(Math.round(options.startedEpochMs)) * 1_000_000n,
    durationNanos: Math.round(durationUs * 1000),
    comment: [strings.dedup('metric-lab CPU profile (V8 sampling profiler via node:inspector); idle time excluded')],
  });
}

export interface HeapPprofOptions {
  startedEpochMs: number;
  durationMs: number;
  mode: 'inuse' | 'alloc';
  samplingIntervalBytes: number;
}

export function heapProfileToPprof(heap: HeapProfile, options: HeapPprofOptions): Profile {
  const builder = new PprofBuilder();
  const samplesPerNode = new Map<number, number>();
  for (const sample of heap.samples) samplesPerNode.set(sample.nodeId, (samplesPerNode.get(sample.nodeId) ?? 0) + 1);

  const samples: Sample[] = [];
  const visit = (node: HeapProfileNode, stack: number[]) => {
    const isRoot = node.callFrame.functionName === ROOT && stack.length === 0;
    // Heap nodes carry no per-line data; the function's first line stands for all of it.
    const here = isRoot ? stack : [builder.location(node.callFrame, node.callFrame.lineNumber + 1), ...stack];
    if (node.selfSize > 0 && !isRoot) {
      samples.push(new Sample({ locationId: here, value: [samplesPerNode.get(node.id) ?? 0, node.selfSize] }));
    }
    for (const child of node.children) visit(child, here);
  };
  visit(heap.head, []);

  const strings = builder.strings;
  const spaceName = strings.dedup(`${options.mode}_space`);
  const bytes = strings.dedup('bytes');
  return builder.build({
    sampleType: [
      new ValueType({ type: strings.dedup(`${options.mode}_samples`), unit: strings.dedup('count') }),
      new ValueType({ type: spaceName, unit: bytes }),
    ],
    defaultSampleType: spaceName,
    sample: samples,
    periodType: new ValueType({ type: strings.dedup('space'), unit: bytes }),
    period: options.samplingIntervalBytes,
    timeNanos: BigInt(Math.round(options.startedEpochMs)) * 1_000_000n,
    durationNanos: Math.round(options.durationMs * 1_000_000),
    comment: [
      strings.dedup(
        options.mode === 'inuse'
          ? 'metric-lab heap profile: sampled allocations of the window still live at its end (V8 sampling heap profiler)'
          : 'metric-lab heap profile: all sampled allocations of the window, freed or not (V8 sampling heap profiler)',
      ),
    ],
  });
}

const gzipAsync = promisify(gzip);

/** Go serves profiles gzipped; `go tool pprof` reads either. */
export async function encodeGzippedPprof(profile: Profile): Promise<Buffer> {
  return gzipAsync(profile.encode());
}

/** Deduplicates functions and locations into pprof's tables. */
class PprofBuilder {
  readonly strings = new StringTable();
  readonly #functions = new Map<string, PprofFunction>();
  readonly #locations = new Map<string, Location>();
  // One synthetic mapping that says "already symbolized", so pprof never looks for a binary.
  readonly #mapping = new Mapping({
    id: 1,
    filename: this.strings.dedup('node'),
    hasFunctions: true,
    hasFilenames: true,
    hasLineNumbers: true,
  });

  location(frame: CallFrame, line: number): number {
    const fn = this.#function(frame);
    const key = `${String(fn.id)}:${line}`;
    let location = this.#locations.get(key);
    if (!location) {
      location = new Location({ id: this.#locations.size + 1, mappingId: this.#mapping.id, line: [new Line({ functionId: fn.id, line })] });
      this.#locations.set(key, location);
    }
    return Number(location.id);
  }

  build(fields: ConstructorParameters<typeof Profile>[0]): Profile {
    return new Profile({
      ...fields,
      mapping: [this.#mapping],
      location: [...this.#locations.values()],
      function: [...this.#functions.values()],
      stringTable: this.strings,
    });
  }

  #function(frame: CallFrame): PprofFunction {
    const key = `${frame.functionName}\0${frame.url}\0${frame.lineNumber}\0${frame.columnNumber}`;
    let fn = this.#functions.get(key);
    if (!fn) {
      const file = sourcePath(frame.url);
      const name = this.strings.dedup(displayName(frame, file));
      fn = new PprofFunction({
        id: this.#functions.size + 1,
        name,
        systemName: name,
        filename: this.strings.dedup(file),
        startLine: frame.lineNumber + 1,
      });
      this.#functions.set(key, fn);
    }
    return fn;
  }
}

/** `file://` URLs become paths so `go tool pprof -list` can open the source. */
export function sourcePath(url: string): string {
  if (!url.startsWith('file:')) return url;
  try {
    return fileURLToPath(url);
  } catch {
    return url;
  }
}

/** Anonymous functions get their place in the name, or `pprof -top` would merge them all. */
export function displayName(frame: CallFrame, file: string): string {
  if (frame.functionName !== '') return frame.functionName;
  return file === '' ? '(anonymous)' : `(anonymous ${basename(file)}:${frame.lineNumber + 1})`;
}
