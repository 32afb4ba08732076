import type { HotFunction } from './types.js';

/** A function as a profile names it; `location` is root-relative so two builds line up. */
export interface Frame {
  functionName: string;
  location: string;
}

/** Samples that saw the same stack (outermost frame first). */
export interface WeightedStack {
  frames: readonly Frame[];
  count: number;
}

export interface FunctionSamples extends Frame {
  /** Samples with this function on top of the stack. */
  selfSamples: number;
  /** Samples with this function anywhere on the stack, counted once per sample (recursion). */
  totalSamples: number;
}

/** Per-function sample counts of one profile, over busy samples only (idle is not CPU work). */
export interface StackTally {
  busySamples: number;
  /** Mean time one sample stands for, ms. */
  sampleMs: number;
  functions: Map<string, FunctionSamples>;
}

export function frameKey(frame: Frame): string {
  return `${frame.functionName} ${frame.location}`;
}

/** Self and total samples per function (pure). Empty stacks are dropped. */
export function tallyStacks(stacks: Iterable<WeightedStack>, sampleMs: number): StackTally {
  const functions = new Map<string, FunctionSamples>();
  let busySamples = 0;
  const entry = (frame: Frame) => {
    const key = frameKey(frame);
    let found = functions.get(key);
    if (!found) {
      found = { functionName: frame.functionName, location: frame.location, selfSamples: 0, totalSamples: 0 };
      functions.set(key, found);
    }
    return found;
  };
  for (const { frames, count } of stacks) {
    const top = frames.at(-1);
    if (!top || count <= 0) continue;
    busySamples += count;
    entry(top).selfSamples += count;
    const seen = new Set<string>();
    for (const frame of frames) {
      const key = frameKey(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      entry(frame).totalSamples += count;
    }
  }
  return { busySamples, sampleMs, functions };
}

/**
 * The functions with the most self time — the widest plateaus of a flamegraph — as shares of busy
 * samples. V8's pseudo-frames ("(program)", "(garbage collector)") are left out, as flamegraph
 * views hide them.
 */
export function hottestFunctions(tally: StackTally, limit: number): HotFunction[] {
  if (tally.busySamples === 0) return [];
  return [...tally.functions.values()]
    .filter((f) => !isPseudoFrame(f.functionName) && f.selfSamples > 0)
    .sort((a, b) => b.selfSamples - a.selfSamples || b.totalSamples - a.totalSamples || frameKey(a).localeCompare(frameKey(b)))
    .slice(0, limit)
    .map((f) => ({
      functionName: f.functionName,
      location: f.location,
      selfShare: f.selfSamples / tally.busySamples,
      totalShare: f.totalSamples / tally.busySamples,
    }));
}

/** "(program)", "(garbage collector)", "(idle)", "(root)": V8's names for time outside JS functions. */
export function isPseudoFrame(functionName: string): boolean {
  return functionName.startsWith('(') && functionName.endsWith(')') && functionName !== '(anonymous)';
}

/**
 * A source location relative to the lab's root, so the same function in two worktrees has one
 * name: `file:///tmp/wt/dist/server/work/checksum.js` -> `dist/server/work/checksum.js`.
 * Dependencies are named from `node_modules/` on; node's own modules keep their `node:` names.
 */
export function relativeLocation(url: string, roots: readonly string[]): string {
  let path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const modules = path.indexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + 1);
  for (const root of roots) {
    const prefix = root.endsWith('/') ? root : `${root}/`;
    if (path.startsWith(prefix)) {
      path = path.slice(prefix.length);
      break;
    }
  }
  return path;
}
