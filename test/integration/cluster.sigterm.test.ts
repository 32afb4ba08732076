import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { get as getUrl, until } from '../support/http.js';
import { spawnLab } from '../support/spawned-lab.js';

const get = (url: string) => getUrl(url, { newConnection: true });

type LogEvent = {
  event?: string;
  worker?: number;
  in_flight?: number;
  outcome?: string;
  workers?: Array<{ worker: number; code: number | null }>;
};

describe('--workers 2: SIGTERM to the primary', () => {
  it('drains every worker’s in-flight requests, refuses new ones and exits 0', async () => {
    const lab = await spawnLab(['--workers', '2', '--pprof-port', 'off', '--runtime-metrics', 'off']);
    const slow = `${lab.appUrl}/api/work?db_min_ms=800&db_max_ms=801&loop_iterations=1000`;
    const inFlight = Array.from({ length: 8 }, () => get(slow));
    await new Promise((resolve) => setTimeout(resolve, 300));
    lab.child.kill('SIGTERM');
    const events = () => lab.logLines.map((line) => JSON.parse(line) as LogEvent);
    await until(() => events().filter((e) => e.event === 'shutdown_started' && e.worker !== undefined).length === 2, 2_000);
    const late = await get(`${lab.appUrl}/healthz`);

    const results = await Promise.all(inFlight);
    const { code } = await lab.exited;

    expect(results.map((r) => ('status' in r ? r.status : r.error))).toEqual(Array(8).fill(200));
    expect(late).toEqual({ error: 'ECONNREFUSED' });
    expect(code).toBe(0);
    const workerStarts = events().filter((e) => e.event === 'shutdown_started' && e.worker !== undefined);
    expect(workerStarts.map((e) => e.worker).sort()).toEqual([1, 2]);
    for (const start of workerStarts) expect(start.in_flight, `worker ${start.worker}`).toBeGreaterThan(0);
    expect(workerStarts.reduce((sum, e) => sum + (e.in_flight ?? 0), 0)).toBe(8);
    const primaryDone = events().find((e) => e.event === 'shutdown_complete' && e.worker === undefined);
    expect(primaryDone).toMatchObject({
      outcome: 'graceful',
      workers: [
        { worker: 1, code: 0 },
        { worker: 2, code: 0 },
      ],
    });
  });

  it('a second SIGTERM cuts what is left, and the primary exits 1', async () => {
    const lab = await spawnLab(['--workers', '2', '--pprof-port', 'off', '--runtime-metrics', 'off']);
    const stuck = [
      get(`${lab.appUrl}/api/work?db_min_ms=5000&db_max_ms=5000&loop_iterations=0`),
      get(`${lab.appUrl}/api/work?db_min_ms=5000&db_max_ms=5000&loop_iterations=0`),
    ];
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalledAt = Date.now();
    lab.child.kill('SIGTERM');
    await until(() => lab.logLines.some((line) => line.includes('"shutdown_started"')), 2_000);
    lab.child.kill('SIGTERM');
    const [results, { code }] = await Promise.all([Promise.all(stuck), lab.exited]);
    for (const result of results) expect('error' in result).toBe(true);
    expect(code).toBe(1);
    expect(Date.now() - signalledAt).toBeLessThan(3_000);
  });

  it('Ctrl+C in a terminal (SIGINT to the whole process group) drains too: the primary’s request and the signal are one shutdown', async () => {
    // Its own process group, like a terminal's foreground job.
    const child = spawn(
      process.execPath,
      ['dist/server/main.js', '--port', '0', '--workers', '2', '--pprof-port', 'off', '--runtime-metrics', 'off'],
      {
        detached: true,
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const lines: string[] = [];
      const appUrl = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          lines.push(line);
          const entry = JSON.parse(line) as { event?: string; app?: { url: string } };
          if (entry.event === 'listening' && entry.app) resolve(entry.app.url);
        });
        void exited.then((code) => reject(new Error(`exited ${code} before listening`)));
      });
      const inFlight = Array.from({ length: 4 }, () => get(`${appUrl}/api/work?db_min_ms=600&db_max_ms=601&loop_iterations=1000`));
      await new Promise((resolve) => setTimeout(resolve, 200));
      process.kill(-child.pid!, 'SIGINT');
      const results = await Promise.all(inFlight);
      expect(results.map((r) => ('status' in r ? r.status : r.error))).toEqual(Array(4).fill(200));
      expect(await exited).toBe(0);
      expect(lines.filter((line) => line.includes('"shutdown_forced"'))).toEqual([]);
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
  });
});
