import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Http1Pool } from '../../bench/load/http1-pool.js';
import type { ParsedResponse } from '../../bench/load/http1-response-parser.js';
import { buildRequest } from '../../bench/load/request.js';

/** Echoes what arrived: method, URL, headers and body. */
let server: http.Server;
let port: number;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body })));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('request kinds on the wire', () => {
  it('a GET is the line the generator always sent', () => {
    expect(buildRequest('h:1', { path: '/api/work?x=1' }).toString('latin1')).toBe(
      'GET /api/work?x=1 HTTP/1.1\r\nHost: h:1\r\nUser-Agent: metric-lab-load\r\nAccept: */*\r\n\r\n',
    );
  });

  it('a POST carries its headers, content type and a UTF-8 body framed by its byte length', () => {
    const bytes = buildRequest('h:1', {
      method: 'POST',
      path: '/items',
      headers: { 'X-Trace': 'on', Accept: 'application/json' },
      body: { contentType: 'application/json', text: '{"name":"é"}' },
    }).toString('latin1');
    expect(bytes).toBe(
      'POST /items HTTP/1.1\r\nHost: h:1\r\nUser-Agent: metric-lab-load\r\nX-Trace: on\r\nAccept: application/json\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"name":"Ã©"}',
    );
  });

  it('reach a real server intact over one keep-alive connection, one after another', async () => {
    const responses: string[] = [];
    const pool = new Http1Pool<{ id: number }>(
      { host: '127.0.0.1', port, maxConnections: 1, keepBodyBytes: 64 * 1024 },
      { sent: () => {}, response: (_r, response: ParsedResponse) => responses.push(response.bodyHead.toString('utf8')), failed: () => {} },
    );
    const host = `127.0.0.1:${port}`;
    pool.send({ id: 1 }, buildRequest(host, { method: 'PUT', path: '/a?q=1', body: { contentType: 'text/plain', text: 'hello' } }));
    pool.send({ id: 2 }, buildRequest(host, { method: 'DELETE', path: '/b', headers: { authorization: 'Bearer t' } }));
    while (responses.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    pool.destroy();
    const [put, del] = responses.map(
      (text) => JSON.parse(text) as { method: string; url: string; headers: Record<string, string>; body: string },
    );
    expect(put).toMatchObject({
      method: 'PUT',
      url: '/a?q=1',
      body: 'hello',
      headers: { 'content-type': 'text/plain', 'content-length': '5' },
    });
    expect(del).toMatchObject({ method: 'DELETE', url: '/b', body: '', headers: { authorization: 'Bearer t' } });
  });
});
