import { describe, expect, it } from 'vitest';
import { captureFileName, contentDisposition } from '../../server/diagnostics/file-name.js';

describe('capture file names', () => {
  const startedEpochMs = Date.UTC(2025, 0, 2, 3, 4, 5, 678);

  it('say what, when (UTC, sortable) and how long', () => {
    expect(captureFileName('cpu', startedEpochMs, '.pb.gz', 10)).toBe('metric-lab-cpu-20250102T030405Z-10s.pb.gz');
    expect(captureFileName('trace', startedEpochMs, '.json', 0.25)).toBe('metric-lab-trace-20250102T030405Z-0.25s.json');
    expect(captureFileName('heap', startedEpochMs, '.heapsnapshot')).toBe('metric-lab-heap-20250102T030405Z.heapsnapshot');
  });

  it('become an attachment or inline Content-Disposition', () => {
    expect(contentDisposition('a.pb.gz')).toBe('attachment; filename="a.pb.gz"');
    expect(contentDisposition('a.txt', 'inline')).toBe('inline; filename="a.txt"');
  });
});
