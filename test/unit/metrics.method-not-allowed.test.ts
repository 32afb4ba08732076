import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessLab, type RunningLab } from '../support/in-process-lab.js';

describe('a 405', () => {
  let lab: RunningLab;
  beforeAll(async () => {
    lab = await startInProcessLab();
  });
  afterAll(() => lab.close());

  it('is counted under its route, not under "unmatched" (kept for 404s)', async () => {
    expect((await fetch(`${lab.baseUrl}/api/work`, { method: 'POST' })).status).toBe(405);
    expect((await fetch(`${lab.baseUrl}/healthz`, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`${lab.baseUrl}/nope`)).status).toBe(404);
    const text = await (await fetch(`${lab.baseUrl}/metrics`)).text();
    expect(text).toMatch(/^http_requests_total\{method="POST",path="\/api\/work"\} 1$/m);
    expect(text).toMatch(/^http_requests_total\{method="DELETE",path="\/healthz"\} 1$/m);
    expect(text).toMatch(/^http_requests_total\{method="GET",path="unmatched"\} 1$/m);
    expect(text).not.toMatch(/^http_requests_total\{method="(POST|DELETE)",path="unmatched"\}/m);
  });
});
