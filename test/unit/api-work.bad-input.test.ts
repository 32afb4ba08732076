import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessLab, type RunningLab } from '../support/in-process-lab.js';

let running: RunningLab;
beforeAll(async () => {
  running = await startInProcessLab({ knobs: { dbMinMs: 0, dbMaxMs: 1, loopIterations: 1000 } });
});
afterAll(() => running.close());

const get = (path: string, init?: RequestInit) => fetch(`${running.baseUrl}${path}`, init);

describe('/api/work rejects bad input with a 400 that names the parameter', () => {
  it.each([
    ['loop_iterations=abc', 'loop_iterations', 'abc'],
    ['loop_iterations=-5', 'loop_iterations', '-5'],
    ['loop_iterations=NaN', 'loop_iterations', 'NaN'],
    ['loop_iterations=4294967296', 'loop_iterations', '4294967296'],
    ['db_min_ms=-1', 'db_min_ms', '-1'],
    ['db_max_ms=1e9', 'db_max_ms', '1e9'],
    ['db_spike_probability=2', 'db_spike_probability', '2'],
    ['payload_item_bytes=9999999999', 'payload_item_bytes', '9999999999'],
    ['payload_items=100000&payload_item_bytes=100000', 'payload_items', '100000 items of 100000 bytes'],
    ['loop_impl=%00', 'loop_impl', '\u0000'],
    ['seed=-1', 'seed', '-1'],
    ['bogus=1', 'bogus', 'bogus'],
    ['loop_iterations=1&loop_iterations=2', 'loop_iterations', '1,2'],
  ])('?%s', async (query, parameter, received) => {
    const response = await get(`/api/work?${query}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as Record<string, string>;
    expect(body).toMatchObject({ error: 'invalid_parameter', parameter, received });
    expect(body.expected).toEqual(expect.any(String));
    expect(body.message).toContain(parameter);
  });

  it('answers other methods with 405 and unknown paths with a JSON 404', async () => {
    const post = await get('/api/work', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const missing = await get('/api/work/%E0%A4%A');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'not_found' });
  });

  it('stays healthy and correct after all of that', async () => {
    const health = await get('/healthz');
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('{"status":"ok"}');
    const work = await get('/api/work');
    expect(work.status).toBe(200);
    expect(await work.text()).toContain('"loop_checksum":332854108,');
  });

  it('records rejected requests under the route, not under new series per junk URL', async () => {
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toMatch(/http_requests_total\{method="GET",path="\/api\/work"\} \d+/);
    expect(metrics).not.toContain('%E0');
  });
});
