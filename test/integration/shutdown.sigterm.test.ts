import { describe, expect, it } from 'vitest';
import { get as getUrl, until } from '../support/http.js';
import { spawnLab } from '../support/spawned-lab.js';

const get = (url: string, keepAlive = true) => getUrl(url, { keepAlive });

describe('SIGTERM with requests in flight', () => {
  it('finishes every in-flight request, refuses new ones, logs a snapshot and exits 0', async () => {
    const lab = await spawnLab(['--runtime-metrics', 'off']);
    const slow = `${lab.appUrl}/api/work?db_min_ms=800&db_max_ms=801&loop_iterations=1000`;
    const inFlight = Array.from({ length: 8 }, () => get(slow));
    // Let the requests reach the handler before the signal.
    await new Promise((resolve) => setTimeout(resolve, 300));
    lab.child.kill('SIGTERM');
    await until(() => lab.logLines.some((line) => line.includes('"shutdown_started"')), 2_000);
    const late = await get(`${lab.appUrl}/healthz`, false);

    const results = await Promise.all(inFlight);
    const { code } = await lab.exited;

    expect(results.map((r) => ('status' in r ? r.status : r.error))).toEqual(Array(8).fill(200));
    for (const r of results) if ('body' in r) expect(r.body).toContain('"loop_checksum":332854108,');
    expect(late).toEqual({ error: 'ECONNREFUSED' });
    expect(code).toBe(0);

    const events = lab.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.find((e) => e.event === 'shutdown_started')).toMatchObject({ signal: 'SIGTERM', in_flight: 8 });
    expect(events.find((e) => e.event === 'shutdown_complete')).toMatchObject({ outcome: 'graceful', in_flight_at_start: 8 });
    const snapshot = events.find((e) => e.event === 'snapshot') as { snapshot: { sections: Array<{ section: string; count: number }> } };
    expect(snapshot.snapshot.sections.find((s) => s.section === 'db_query')?.count).toBe(8);
    expect(lab.stderr()).toContain('db_query');
  });

  it('cuts requests that outlive the grace period and exits 1', async () => {
    const lab = await spawnLab(['--runtime-metrics', 'off', '--shutdown-grace-ms', '300']);
    const stuck = get(`${lab.appUrl}/api/work?db_min_ms=5000&db_max_ms=5000&loop_iterations=0`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const signalledAt = Date.now();
    lab.child.kill('SIGTERM');
    const [result, { code }] = await Promise.all([stuck, lab.exited]);
    expect('error' in result).toBe(true);
    expect(code).toBe(1);
    expect(Date.now() - signalledAt).toBeLessThan(3_000);
    expect(lab.logLines.some((line) => line.includes('"outcome":"forced"'))).toBe(true);
  });

  it('exits promptly when idle, closing idle keep-alive connections', async () => {
    const lab = await spawnLab(['--runtime-metrics', 'off']);
    expect(await get(`${lab.appUrl}/healthz`)).toMatchObject({ status: 200 });
    const signalledAt = Date.now();
    lab.child.kill('SIGINT');
    const { code } = await lab.exited;
    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(2_000);
  });
});
