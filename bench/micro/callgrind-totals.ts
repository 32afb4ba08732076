/**
 * The total instruction count of one callgrind output file (pure): the `totals:` line, or the
 * `summary:` line that callgrind writes when it has no totals, in the column of the `Ir` event.
 */
export function parseTotalIr(text: string): { ok: true; ir: number } | { ok: false; reason: string } {
  let irColumn = 0;
  let summary: string | undefined;
  let totals: string | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('events:')) {
      const column = line.slice('events:'.length).trim().split(/\s+/).indexOf('Ir');
      if (column < 0) return { ok: false, reason: `no Ir event in "${line.trim()}"` };
      irColumn = column;
    } else if (line.startsWith('summary:')) summary = line.slice('summary:'.length);
    else if (line.startsWith('totals:')) totals = line.slice('totals:'.length);
  }
  const counts = totals ?? summary;
  if (counts === undefined) return { ok: false, reason: 'no totals: or summary: line' };
  const ir = Number(counts.trim().split(/\s+/)[irColumn]);
  if (!Number.isSafeInteger(ir) || ir < 0) return { ok: false, reason: `not an instruction count: "${counts.trim()}"` };
  return { ok: true, ir };
}
