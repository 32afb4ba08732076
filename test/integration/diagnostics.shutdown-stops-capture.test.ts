import { describe, expect, it } from 'vitest';
import { decodePprof, startLabWithPprof } from '../support/diagnostics-fixtures.js';

describe('SIGTERM during a capture', () => {
  it('ends the capture early, delivers what it has, and the lab still shuts down gracefully', async () => {
    const lab = await startLabWithPprof();
    try {
      const capture = fetch(`${lab.pprofUrl}/debug/pprof/profile?seconds=60`);
      const deadline = performance.now() + 5_000;
      while (!lab.logLines.some((l) => l.includes('"capture_started"')) && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const signalledMs = performance.now();
      lab.child.kill('SIGTERM');

      const response = await capture;
      expect(response.status).toBe(200);
      expect(response.headers.get('x-capture-stopped-early')).toBe('true');
      const profile = decodePprof(new Uint8Array(await response.arrayBuffer()));
      expect(Number(profile.durationNanos)).toBeLessThan(10e9);

      expect(await lab.exited).toEqual({ code: 0, signal: null });
      expect(performance.now() - signalledMs).toBeLessThan(5_000);
    } finally {
      await lab.stop();
    }
  });
});
