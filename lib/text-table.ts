/**
 * Renders rows as aligned plain-text columns: numbers right-aligned, the first `textColumns`
 * (names) left-aligned, and the last column too when `lastIsText` (a verdict or note).
 */
export function renderTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  indent = '',
  { textColumns = 1, lastIsText = false }: { textColumns?: number; lastIsText?: boolean } = {},
): string {
  const leftAligned = (i: number) => i < textColumns || (lastIsText && i === header.length - 1);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    indent +
    cells
      .map((cell, i) => (leftAligned(i) ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** Milliseconds with sensible precision: 0.412, 12.3, 1234. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '-';
  if (ms < 1) return ms.toFixed(3);
  if (ms < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

export function formatPercent(ratio: number, digits = 2): string {
  return `${(ratio * 100).toFixed(digits)}%`;
}
