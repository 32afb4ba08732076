import { frameKey, type Frame, type WeightedStack } from './stack-tally.js';

/**
 * One call path of a differential flamegraph: drawn as wide as its share of the current profile,
 * coloured by how its self share changed against the baseline (Brendan Gregg's red/blue scheme).
 */
export interface DiffTreeNode extends Frame {
  /** Shares of each side's busy samples, for this exact call path. */
  current: { total: number; self: number };
  baseline: { total: number; self: number };
  children: DiffTreeNode[];
}

interface Trie {
  total: number;
  self: number;
  frame: Frame | null;
  children: Map<string, Trie>;
}

/** The current profile's call tree annotated with the baseline's shares on the same paths (pure). */
export function buildDiffTree(baseline: readonly WeightedStack[], current: readonly WeightedStack[]): DiffTreeNode {
  const before = trie(baseline);
  const after = trie(current);
  const busyBefore = before.total;
  const busyAfter = after.total;
  const convert = (node: Trie, other: Trie | undefined): DiffTreeNode => ({
    functionName: node.frame?.functionName ?? 'all samples',
    location: node.frame?.location ?? '',
    current: { total: ratio(node.total, busyAfter), self: ratio(node.self, busyAfter) },
    baseline: { total: ratio(other?.total ?? 0, busyBefore), self: ratio(other?.self ?? 0, busyBefore) },
    children: [...node.children.entries()]
      .map(([key, child]) => convert(child, other?.children.get(key)))
      .sort((a, b) => b.current.total - a.current.total || frameKey(a).localeCompare(frameKey(b))),
  });
  return convert(after, before);
}

function trie(stacks: readonly WeightedStack[]): Trie {
  const root: Trie = { total: 0, self: 0, frame: null, children: new Map() };
  for (const { frames, count } of stacks) {
    if (frames.length === 0 || count <= 0) continue;
    root.total += count;
    let node = root;
    for (const frame of frames) {
      const key = frameKey(frame);
      let child = node.children.get(key);
      if (!child) {
        child = { total: 0, self: 0, frame, children: new Map() };
        node.children.set(key, child);
      }
      child.total += count;
      node = child;
    }
    node.self += count;
  }
  return root;
}

function ratio(samples: number, busy: number): number {
  return busy > 0 ? samples / busy : 0;
}
