import { describe, expect, it } from 'vitest';
import { get } from '../support/http.js';
import { spawnLab } from '../support/spawned-lab.js';

describe('a second signal during the drain', () => {
  it('cuts the remaining connections at once and says so, not that the grace period ran out', async () => {
    const lab = await spawnLab(['--runtime-metrics', 'off', '--shutdown-grace-ms', '5000', '--pprof-port', 'off']);
    const stuck = get(`${lab.appUrl}/api/work?db_min_ms=5000&db_max_ms=5000&loop_iterations=0`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    lab.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const secondAt = Date.now();
    lab.child.kill('SIGTERM');
    const [, { code }] = await Promise.all([stuck, lab.exited]);
    expect(code).toBe(1);
    expect(Date.now() - secondAt).toBeLessThan(2_000);
    const complete = lab.logLines.map((line) => JSON.parse(line) as Record<string, unknown>).find((e) => e.event === 'shutdown_complete');
    expect(complete).toMatchObject({ outcome: 'forced', forced_by: 'second-signal' });
    expect(String(complete?.msg)).toMatch(/^a second signal cut the remaining connections after \d+ ms$/);
  }, 20_000);
});
