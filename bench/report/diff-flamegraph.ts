import type { DiffTreeNode } from '../profile/diff-tree.js';
import { escapeHtml } from './html.js';

const WIDTH = 1200;
const ROW = 18;
/** Frames narrower than this (px) are left out; their time stays in their parent's width. */
const MIN_WIDTH = 0.6;
const CHAR_PX = 6.6;

/**
 * A differential flamegraph as static SVG (no script): the current profile's call tree, root on
 * top, each frame as wide as its share of busy samples; red where the frame's self share grew
 * against the baseline, blue where it shrank, intensity relative to the largest change.
 */
export function renderDiffFlamegraph(root: DiffTreeNode): string {
  const maxChange = Math.max(1e-9, maxSelfChange(root));
  const rects: string[] = [];
  let depthMax = 0;
  const walk = (node: DiffTreeNode, x: number, depth: number) => {
    const width = node.current.total * WIDTH;
    if (width < MIN_WIDTH) return;
    depthMax = Math.max(depthMax, depth);
    const y = depth * ROW;
    const change = node.current.self - node.baseline.self;
    const label = depth === 0 ? 'all busy samples' : node.functionName;
    const title =
      `${label}${node.location ? ` (${node.location})` : ''} — current: total ${percent(node.current.total)}, self ${percent(node.current.self)}; ` +
      `baseline: total ${percent(node.baseline.total)}, self ${percent(node.baseline.self)}; self change ${points(change)}`;
    const text = fitText(label, width);
    rects.push(
      `<g><title>${escapeHtml(title)}</title><rect x="${x.toFixed(2)}" y="${y}" width="${Math.max(0.5, width - 0.4).toFixed(2)}" height="${ROW - 1}" rx="1.5" fill="${colour(change, maxChange)}" stroke="#fff" stroke-width="0.4"/>` +
        (text ? `<text x="${(x + 3).toFixed(2)}" y="${y + 12.5}">${escapeHtml(text)}</text>` : '') +
        `</g>`,
    );
    let childX = x;
    for (const child of node.children) {
      walk(child, childX, depth + 1);
      childX += child.current.total * WIDTH;
    }
  };
  walk(root, 0, 0);
  const height = (depthMax + 1) * ROW;
  return (
    `<svg class="diff-flamegraph" viewBox="0 0 ${WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" role="img" ` +
    `aria-label="Differential flamegraph: widths are the current profile, red frames gained self time against the baseline, blue frames lost it. Hover a frame for its numbers; the tables above list the largest changes.">` +
    `<style>text{font:11px ui-monospace,Menlo,Consolas,monospace;fill:#1b1f24;pointer-events:none}</style>` +
    rects.join('') +
    `</svg>`
  );
}

/** Red for growth, blue for shrinkage; light grey when the change is negligible. */
export function colour(change: number, maxChange: number): string {
  const strength = Math.min(1, Math.abs(change) / maxChange);
  if (strength < 0.02) return '#e8ebef';
  // Lightness 90% (small) to 62% (largest): dark text stays readable on every shade.
  const lightness = Math.round(90 - strength * 28);
  return change > 0 ? `hsl(3 78% ${lightness}%)` : `hsl(212 70% ${lightness}%)`;
}

function maxSelfChange(node: DiffTreeNode): number {
  let max = Math.abs(node.current.self - node.baseline.self);
  for (const child of node.children) max = Math.max(max, maxSelfChange(child));
  return max;
}

function fitText(text: string, width: number): string {
  const chars = Math.floor((width - 6) / CHAR_PX);
  if (chars < 3) return '';
  return text.length <= chars ? text : `${text.slice(0, chars - 1)}…`;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

function points(change: number): string {
  return `${change >= 0 ? '+' : '−'}${Math.abs(change * 100).toFixed(1)} pp`;
}
