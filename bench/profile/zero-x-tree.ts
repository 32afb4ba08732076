import { relativeLocation, type Frame, type WeightedStack } from './stack-tally.js';

/** A node of 0x's call tree (`stacks.<pid>.json`, written with `treeDebug`). */
export interface ZeroXNode {
  /** e.g. `simulateLoop file:///…/checksum.js:34:29`, `epoll_pwait [CPP]`, `… [INIT]`. */
  name: string;
  /** Samples in this subtree. */
  value: number;
  /** Samples with this frame on top. */
  top: number;
  children?: ZeroXNode[];
}

const JS_FRAME = /^[*~]?(.*?) ?((?:file:\/\/)?[^ ]*\.m?js):(\d+)(?::\d+)?$/;
const TAG = / \[([A-Za-z_:]+)\]$/;

/**
 * A 0x frame name as the flamegraph's default view shows it, or null for the frame types that
 * view hides (C++, shared libraries, V8 internals, start-up, node's own `node:` modules, eval).
 * Mirrors 0x's visualizer categories so "widest frame" means what a reader sees.
 */
export function visibleZeroXFrame(name: string, roots: readonly string[]): Frame | null {
  const tag = TAG.exec(name);
  if (tag && tag[1] !== 'INLINABLE') return null;
  const bare = tag ? name.slice(0, tag.index) : name;
  const match = JS_FRAME.exec(bare);
  if (!match || / native /.test(bare)) return null;
  const functionName = match[1] === '' ? '(anonymous)' : (match[1] as string);
  const location = relativeLocation(match[2] as string, roots);
  // As in cpuprofile.ts: anonymous functions are told apart by their line.
  return { functionName, location: functionName === '(anonymous)' ? `${location}:${match[3]}` : location };
}

/**
 * 0x's tree as weighted stacks of visible frames. A hidden frame's own samples go to the visible
 * frame below it (as the view draws them); samples with no visible frame at all (the idle event
 * loop in `epoll_pwait`, start-up) are dropped.
 */
export function zeroXStacks(root: ZeroXNode, roots: readonly string[]): WeightedStack[] {
  const stacks = new Map<string, WeightedStack>();
  const walk = (node: ZeroXNode, path: readonly Frame[]) => {
    const frame = visibleZeroXFrame(node.name, roots);
    const here = frame ? [...path, frame] : path;
    if (node.top > 0 && here.length > 0) {
      const key = here.map((f) => `${f.functionName} ${f.location}`).join('\n');
      const found = stacks.get(key);
      if (found) found.count += node.top;
      else stacks.set(key, { frames: here, count: node.top });
    }
    for (const child of node.children ?? []) walk(child, here);
  };
  walk(root, []);
  return [...stacks.values()];
}
