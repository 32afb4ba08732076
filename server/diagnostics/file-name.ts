export type DownloadKind = 'cpu' | 'heap' | 'trace' | 'goroutine' | 'cmdline';

/** `metric-lab-cpu-20250102T030405Z-10s.pb.gz`: what, when (UTC) and how long, sortable by time. */
export function captureFileName(kind: DownloadKind, startedEpochMs: number, extension: string, seconds?: number): string {
  const stamp = new Date(startedEpochMs)
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll('-', '')
    .replaceAll(':', '');
  const window = seconds === undefined ? '' : `-${Number(seconds.toFixed(3))}s`;
  return `metric-lab-${kind}-${stamp}${window}${extension}`;
}

/** `attachment` for binary captures (a browser saves them); `inline` for text a browser can show. */
export function contentDisposition(fileName: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  // Our names are ASCII without quotes, so the simple quoted form is exact.
  return `${disposition}; filename="${fileName}"`;
}
