import { describe, expect, it } from 'vitest';
import { Http1ResponseParser, type FeedResult, type ParsedResponse } from '../../bench/load/http1-response-parser.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');

/** Feeds `text` cut into the given pieces; returns the responses and the first error. */
function parse(pieces: readonly string[], keepBodyBytes = 1024, closeAtEnd = false) {
  const parser = new Http1ResponseParser(keepBodyBytes);
  const responses: Array<Omit<ParsedResponse, 'bodyHead'> & { body: string }> = [];
  const collect = (r: ParsedResponse) =>
    responses.push({ statusCode: r.statusCode, keepAlive: r.keepAlive, bodyBytes: r.bodyBytes, body: r.bodyHead.toString('latin1') });
  let result: FeedResult = { ok: true };
  for (const piece of pieces) {
    result = parser.feed(bytes(piece), collect);
    if (!result.ok) break;
  }
  if (result.ok && closeAtEnd) result = parser.close(collect);
  return { responses, result, idle: parser.idle };
}

/** Every way of cutting `text` in two, plus byte by byte. */
function cuts(text: string): string[][] {
  const all: string[][] = [[...text]];
  for (let at = 1; at < text.length; at++) all.push([text.slice(0, at), text.slice(at)]);
  return all;
}

// The lab's real 404 (Express 5), and a 200 with its headers.
const NOT_FOUND =
  'HTTP/1.1 404 Not Found\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 56\r\nDate: Thu, 26 Nov 2026 04:04:46 GMT\r\n' +
  'Connection: keep-alive\r\nKeep-Alive: timeout=120\r\n\r\n{"error":"not_found","message":"no route for GET /nope"}';
const OK_BODY = '{"loop_iterations":1000,"loop_checksum":332854108}';
const OK = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${OK_BODY.length}\r\n\r\n${OK_BODY}`;
const CHUNKED = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n';

describe('parsing HTTP/1.1 responses', () => {
  it('reads a Content-Length response in one piece', () => {
    expect(parse([NOT_FOUND])).toEqual({
      responses: [{ statusCode: 404, keepAlive: true, bodyBytes: 56, body: '{"error":"not_found","message":"no route for GET /nope"}' }],
      result: { ok: true },
      idle: true,
    });
  });

  it('gives the same response however the bytes are cut', () => {
    const whole = parse([OK]).responses;
    expect(whole).toEqual([{ statusCode: 200, keepAlive: true, bodyBytes: OK_BODY.length, body: OK_BODY }]);
    for (const pieces of cuts(OK)) expect(parse(pieces).responses).toEqual(whole);
  });

  it('de-chunks a chunked body with extensions and trailers, however it is cut', () => {
    for (const pieces of cuts(CHUNKED)) {
      expect(parse(pieces).responses).toEqual([{ statusCode: 200, keepAlive: true, bodyBytes: 12, body: 'hello, world' }]);
    }
  });

  it('keeps only the first bytes of a long body but counts all of them', () => {
    const body = 'x'.repeat(10_000);
    const { responses } = parse([`HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n${body.slice(0, 3000)}`, body.slice(3000)], 100);
    expect(responses).toEqual([{ statusCode: 200, keepAlive: true, bodyBytes: 10_000, body: 'x'.repeat(100) }]);
  });

  it('reads two responses arriving back to back', () => {
    expect(parse([NOT_FOUND + OK]).responses.map((r) => r.statusCode)).toEqual([404, 200]);
  });

  it('knows when the connection cannot be reused', () => {
    const keepAlive = (head: string) => parse([`${head}\r\nContent-Length: 0\r\n\r\n`]).responses[0]?.keepAlive;
    expect(keepAlive('HTTP/1.1 200 OK\r\nConnection: close')).toBe(false);
    expect(keepAlive('HTTP/1.1 200 OK\r\nConnection: Keep-Alive, Close')).toBe(false);
    expect(keepAlive('HTTP/1.0 200 OK')).toBe(false);
    expect(keepAlive('HTTP/1.0 200 OK\r\nConnection: keep-alive')).toBe(true);
  });

  it('expects no body after 204 and 304, and skips a 100 Continue', () => {
    expect(parse(['HTTP/1.1 204 No Content\r\n\r\n', OK]).responses.map((r) => [r.statusCode, r.bodyBytes])).toEqual([
      [204, 0],
      [200, OK_BODY.length],
    ]);
    expect(parse(['HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n']).responses).toHaveLength(1);
    expect(parse([`HTTP/1.1 100 Continue\r\n\r\n${OK}`]).responses.map((r) => r.statusCode)).toEqual([200]);
  });

  it('reads a body without length until the connection closes', () => {
    const pieces = ['HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nsome ', 'body'];
    expect(parse(pieces).responses).toEqual([]);
    expect(parse(pieces, 1024, true).responses).toEqual([{ statusCode: 200, keepAlive: false, bodyBytes: 9, body: 'some body' }]);
  });
});

describe('broken responses', () => {
  it.each([
    [['HTTP/2 200\r\n\r\n'], 'malformed status line "HTTP/2 200"'],
    [['HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n'], 'malformed Content-Length "12abc"'],
    [['HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n'], 'conflicting Content-Length headers'],
    [['HTTP/1.1 200 OK\r\nno colon here\r\n\r\n'], 'malformed header line "no colon here"'],
    [['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'], 'malformed chunk size line "zz"'],
    [['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY'], 'chunk data not followed by CRLF'],
    [[`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(70 * 1024)}`], 'response head larger than 65536 bytes'],
  ])('%j -> %s', (pieces, error) => {
    expect(parse(pieces).result).toEqual({ ok: false, error });
  });

  it('reports a connection closed mid-body or mid-head, and accepts one closed between responses', () => {
    expect(parse(['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'], 1024, true).result).toEqual({
      ok: false,
      error: 'connection closed before the response body ended',
    });
    expect(parse(['HTTP/1.1 200 OK\r\nContent-'], 1024, true).result).toEqual({
      ok: false,
      error: 'connection closed inside a response head',
    });
    expect(parse([OK], 1024, true)).toMatchObject({ result: { ok: true }, idle: true });
  });
});
