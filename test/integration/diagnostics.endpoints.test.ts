import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLabWithPprof, type LabWithPprof } from '../support/diagnostics-fixtures.js';

describe('the diagnostics server endpoints', () => {
  let lab: LabWithPprof;
  beforeAll(async () => {
    lab = await startLabWithPprof();
  });
  afterAll(() => lab.stop());

  it('serves an index page at /debug/pprof/ linking every endpoint, and redirects /debug/pprof there', async () => {
    const response = await fetch(`${lab.pprofUrl}/debug/pprof/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    for (const endpoint of ['profile', 'heap', 'trace', 'goroutine', 'cmdline']) expect(html).toContain(`href="${endpoint}`);
    expect(html).toContain(`go tool pprof -top '${lab.pprofUrl}/debug/pprof/profile?seconds=5'`);

    const redirect = await fetch(`${lab.pprofUrl}/debug/pprof`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/debug/pprof/');
  });

  it('serves the command line NUL-separated, as Go does', async () => {
    const response = await fetch(`${lab.pprofUrl}/debug/pprof/cmdline`);
    expect(response.headers.get('content-disposition')).toMatch(/^inline; filename="metric-lab-cmdline-.*\.txt"$/);
    const args = (await response.text()).split('\0');
    expect(args[0]).toBe(process.execPath);
    expect(args).toContain('--pprof-port');
  });

  it('serves the goroutine analogue as text: active resources, libuv handles with both listeners, the JS stack', async () => {
    const response = await fetch(`${lab.pprofUrl}/debug/pprof/goroutine`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.headers.get('content-disposition')).toMatch(/^inline; filename="metric-lab-goroutine-.*\.txt"$/);
    const text = await response.text();
    expect(text).toMatch(/active resources .*: total \d+/);
    expect(text).toContain('TCPServerWrap');
    expect(text).toContain(`listening on ${new URL(lab.appUrl).host}`);
    expect(text).toContain(`listening on ${new URL(lab.pprofUrl).host}`);
    expect(text).toMatch(/JS stack[^\n]*\n\s+at /);
  });

  it('serves the goroutine analogue as JSON with format=json', async () => {
    const response = await fetch(`${lab.pprofUrl}/debug/pprof/goroutine?format=json`);
    const state = (await response.json()) as {
      pid: number;
      activeResources: Record<string, number>;
      handles: { type: string }[];
      javascriptStack: string[];
    };
    expect(state.pid).toBe(lab.child.pid);
    expect(state.activeResources.TCPServerWrap).toBe(2);
    expect(state.handles.some((h) => h.type === 'tcp')).toBe(true);
    expect(state.javascriptStack.length).toBeGreaterThan(0);
  });

  it('answers unknown paths with a 404 that points at the index', async () => {
    const response = await fetch(`${lab.pprofUrl}/debug/pprof/nope`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { message: string }).message).toContain('/debug/pprof/');
  });
});
