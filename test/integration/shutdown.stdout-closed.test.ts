import { describe, expect, it } from 'vitest';
import { spawnLab } from '../support/spawned-lab.js';

describe('a lab whose stdout pipe has closed (npm start | head)', () => {
  it('still exits on SIGTERM, within its grace period', async () => {
    const lab = await spawnLab(['--pprof-port', 'off']);
    // Close the reading end: the lab's next log line meets EPIPE, as under `| head -c 80`.
    lab.child.stdout?.destroy();
    await fetch(`${lab.appUrl}/api/work?loop_iterations=1000&db_min_ms=0&db_max_ms=1`).then((r) => r.arrayBuffer());
    const startedMs = performance.now();
    lab.child.kill('SIGTERM');
    const exit = await Promise.race([lab.exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 8_000))]);
    if (exit === 'hung') lab.child.kill('SIGKILL');
    // Before the fix the exit-time flush retried the failed write every 100 ms forever.
    expect(exit).toEqual({ code: 0, signal: null });
    expect(performance.now() - startedMs).toBeLessThan(3_000);
  }, 20_000);
});
