/**
 * Writes calibrated gate margins into a scenario file's text (pure): only the margin values and
 * their end-of-line comments change, so the diff a reviewer reads is exactly the new margins and
 * their reasons (a YAML round trip would reflow long lines and respace comments).
 */
import { isMap, isScalar, parseDocument } from 'yaml';

export interface MarginUpdate {
  /** A key of the file's `gate:` block, e.g. `server_cpu_ms_per_request`. */
  metric: string;
  /** The margin as written in the file, e.g. `+2.5%`. */
  margin: string;
  /** Why: written as the line's comment. */
  reason: string;
}

export type MarginsEdit = { ok: true; text: string; changed: string[] } | { ok: false; reason: string };

export function withMargins(text: string, updates: readonly MarginUpdate[]): MarginsEdit {
  const document = parseDocument(text);
  if (document.errors.length > 0) return { ok: false, reason: `not valid YAML: ${document.errors[0]?.message ?? ''}` };
  const gate = document.get('gate', true);
  if (!isMap(gate)) return { ok: false, reason: 'no gate: block to write margins into' };
  const edits: Array<{ start: number; end: number; replacement: string }> = [];
  const changed: string[] = [];
  for (const update of updates) {
    const node = gate.get(update.metric, true);
    if (!isScalar(node) || !node.range) return { ok: false, reason: `gate.${update.metric}: expected a margin such as "+10%" in the file` };
    const [start, valueEnd] = node.range;
    const lineEnd = text.indexOf('\n', valueEnd) === -1 ? text.length : text.indexOf('\n', valueEnd);
    // Only a comment may follow the value: in a flow map (`gate: { a: "+5%", … }`) there is no line to comment.
    if (!/^[ \t]*(#.*)?\r?$/.test(text.slice(valueEnd, lineEnd)))
      return { ok: false, reason: `gate.${update.metric}: margins are written into a block-style gate: section (one metric per line)` };
    const reason = update.reason.replace(/\s+/g, ' ').trim();
    edits.push({ start, end: lineEnd, replacement: `${JSON.stringify(update.margin)}${reason ? `  # ${reason}` : ''}` });
    if (node.value !== update.margin) changed.push(update.metric);
  }
  let result = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.replacement + result.slice(edit.end);
  }
  return { ok: true, text: result, changed };
}
