import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGetRequest, Http1Pool } from '../../bench/load/http1-pool.js';
import type { ParsedResponse } from '../../bench/load/http1-response-parser.js';

/** A server whose routes exercise the pool: plain, chunked, closing, slow and broken responses. */
let server: http.Server;
let port: number;
const sockets = new Set<Socket>();
let connectionsSeen = 0;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const delayMs = Number(url.searchParams.get('delay') ?? 0);
    setTimeout(() => {
      if (url.pathname === '/chunked') {
        res.write('hello, ');
        res.end('world');
      } else if (url.pathname === '/close') {
        res.setHeader('Connection', 'close');
        res.end('bye');
      } else if (url.pathname === '/broken') {
        res.setHeader('Content-Length', '100');
        res.write('only part');
        setTimeout(() => res.socket?.destroy(), 10);
      } else {
        res.end(`path=${url.pathname}${url.search}`);
      }
    }, delayMs);
  });
  server.on('connection', (socket: Socket) => {
    connectionsSeen++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

interface Probe {
  name: string;
  sentMs?: number;
  response?: ParsedResponse;
  failure?: string;
  doneMs?: number;
}

function createPool(maxConnections: number, targetPort = port) {
  const done: Probe[] = [];
  let settle: () => void = () => {};
  let expected = 0;
  const pool = new Http1Pool<Probe>(
    { host: '127.0.0.1', port: targetPort, maxConnections, keepBodyBytes: 64 },
    {
      sent: (probe, atMs) => (probe.sentMs = atMs),
      response: (probe, response, atMs) => {
        probe.response = response;
        probe.doneMs = atMs;
        done.push(probe);
        if (done.length === expected) settle();
      },
      failed: (probe, reason) => {
        probe.failure = reason;
        done.push(probe);
        if (done.length === expected) settle();
      },
    },
  );
  const send = (...paths: string[]) => {
    expected += paths.length;
    const probes = paths.map((path): Probe => ({ name: path }));
    for (const probe of probes) pool.send(probe, buildGetRequest(`127.0.0.1:${targetPort}`, probe.name));
    return probes;
  };
  const allDone = () => new Promise<void>((resolve) => (done.length === expected ? resolve() : (settle = resolve)));
  return { pool, send, allDone, done };
}

const body = (probe: Probe) => probe.response?.bodyHead.toString('latin1');
const waitFor = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('the HTTP/1.1 connection pool', () => {
  it('reuses at most maxConnections keep-alive connections and answers every request', async () => {
    const before = connectionsSeen;
    const { pool, send, allDone } = createPool(2);
    const probes = send(...Array.from({ length: 20 }, (_, i) => `/r${i}?delay=2`));
    await allDone();
    expect(probes.map(body)).toEqual(probes.map((p) => `path=${p.name}`));
    expect(probes.every((p) => p.response?.statusCode === 200)).toBe(true);
    expect(connectionsSeen - before).toBe(2);
    pool.destroy();
  });

  it('queues requests beyond the connections in order and sends each when a connection frees', async () => {
    const { pool, send, allDone, done } = createPool(1);
    const probes = send('/a?delay=20', '/b', '/c');
    await allDone();
    expect(done.map((p) => p.name)).toEqual(['/a?delay=20', '/b', '/c']);
    // /b was written only after /a's response: its wait for the connection is not service time.
    expect(probes[1]?.sentMs).toBeGreaterThanOrEqual(probes[0]?.doneMs ?? Infinity);
    pool.destroy();
  });

  it('de-chunks chunked bodies and replaces connections the server closes', async () => {
    const { pool, send, allDone } = createPool(1);
    const probes = send('/chunked', '/close', '/after-close');
    await allDone();
    expect(probes.map(body)).toEqual(['hello, world', 'bye', 'path=/after-close']);
    expect(probes[1]?.response?.keepAlive).toBe(false);
    pool.destroy();
  });

  it('fails requests whose connection is refused or breaks mid-response', async () => {
    const refused = createPool(2, 1);
    const [a] = refused.send('/x');
    await refused.allDone();
    expect(a?.failure).toBe('ECONNREFUSED');
    const broken = createPool(1);
    const [b, c] = broken.send('/broken', '/fine');
    await broken.allDone();
    expect(b?.failure).toMatch(/^(connection closed by the server|ECONNRESET) \(connection closed before the response body ended\)$/);
    expect(body(c as Probe)).toBe('path=/fine');
    refused.pool.destroy();
    broken.pool.destroy();
  });

  it('aborts a sent request by dropping its connection, skips an aborted queued one, and carries on', async () => {
    const { pool, send, done } = createPool(1);
    const [slow, queued, next] = send('/slow?delay=500', '/queued', '/next');
    pool.abort(queued as Probe);
    pool.abort(slow as Probe);
    await waitFor(() => done.length === 1);
    expect(done.map((p) => p.name)).toEqual(['/next']);
    expect(body(next as Probe)).toBe('path=/next');
    expect(slow?.failure ?? slow?.response).toBeUndefined();
    pool.destroy();
  });

  it('closes every socket on destroy', async () => {
    const { pool, send, allDone } = createPool(3);
    send('/1', '/2', '/3');
    await allDone();
    expect(sockets.size).toBeGreaterThanOrEqual(3);
    pool.destroy();
    await waitFor(() => sockets.size === 0);
    expect(sockets.size).toBe(0);
  });
});
