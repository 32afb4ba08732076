/**
 * An incremental HTTP/1.x response parser, just enough for a load generator: status code,
 * keep-alive, and a body framed by Content-Length, chunked encoding or the connection's close.
 * It keeps only the first `keepBodyBytes` of each body (for the correctness facts) and counts
 * the rest. Pure: bytes in, responses out; sockets live in http1-pool.ts.
 */

export interface ParsedResponse {
  statusCode: number;
  /** Whether the connection may carry another request after this response. */
  keepAlive: boolean;
  /** The body's first bytes (de-chunked), at most `keepBodyBytes`; empty when there is no body. */
  bodyHead: Buffer;
  bodyBytes: number;
}

const MAX_HEAD_BYTES = 64 * 1024;
const MAX_CHUNK_LINE_BYTES = 4 * 1024;
const CRLF = 0x0d0a;
const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
const EMPTY = Buffer.alloc(0);

type BodyState =
  | 'head'
  | 'length' // Content-Length: `remaining` bytes to go
  | 'chunk-size'
  | 'chunk-data' // `remaining` bytes of the current chunk
  | 'chunk-end' // the CRLF after a chunk's data
  | 'trailers'
  | 'until-close';

/** A protocol error comes back as a value naming what was wrong, never as an exception. */
export type FeedResult = { ok: true } | { ok: false; error: string };
const OK: FeedResult = { ok: true };

export class Http1ResponseParser {
  private state: BodyState = 'head';
  /** Bytes received but not yet consumed (a partial head or line). */
  private pending: Buffer = EMPTY;
  private statusCode = 0;
  private keepAlive = true;
  private remaining = 0;
  private bodyBytes = 0;
  private kept: Buffer[] = [];
  private keptBytes = 0;

  constructor(private readonly keepBodyBytes: number) {}

  /** True between responses with nothing buffered. */
  get idle(): boolean {
    return this.state === 'head' && this.pending.length === 0;
  }

  /** Consumes `chunk`, calling `onResponse` for each response it completes. */
  feed(chunk: Buffer, onResponse: (response: ParsedResponse) => void): FeedResult {
    let buffer = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let offset = 0;
    this.pending = EMPTY;
    while (offset < buffer.length) {
      switch (this.state) {
        case 'head': {
          const end = buffer.indexOf(HEAD_END, offset);
          if (end < 0) {
            if (buffer.length - offset > MAX_HEAD_BYTES) return fail(`response head larger than ${MAX_HEAD_BYTES} bytes`);
            this.pending = buffer.subarray(offset);
            return OK;
          }
          const problem = this.readHead(buffer.toString('latin1', offset, end));
          if (problem !== null) return fail(problem);
          offset = end + 4;
          if (this.state === 'head' && this.statusCode !== 0) this.complete(onResponse); // no body
          break;
        }
        case 'length':
        case 'chunk-data': {
          const take = Math.min(this.remaining, buffer.length - offset);
          this.keep(buffer, offset, take);
          offset += take;
          this.remaining -= take;
          if (this.remaining === 0) {
            if (this.state === 'length') this.complete(onResponse);
            else this.state = 'chunk-end';
          }
          break;
        }
        case 'chunk-end': {
          if (buffer.length - offset < 2) {
            this.pending = buffer.subarray(offset);
            return OK;
          }
          if (buffer.readUInt16BE(offset) !== CRLF) return fail('chunk data not followed by CRLF');
          offset += 2;
          this.state = 'chunk-size';
          break;
        }
        case 'chunk-size':
        case 'trailers': {
          const lineEnd = buffer.indexOf('\r\n', offset, 'latin1');
          if (lineEnd < 0) {
            if (buffer.length - offset > MAX_CHUNK_LINE_BYTES) return fail(`chunk line longer than ${MAX_CHUNK_LINE_BYTES} bytes`);
            this.pending = buffer.subarray(offset);
            return OK;
          }
          const line = buffer.toString('latin1', offset, lineEnd);
          offset = lineEnd + 2;
          if (this.state === 'trailers') {
            if (line === '') this.complete(onResponse);
            break;
          }
          const size = /^([0-9a-fA-F]{1,8})(?:[ \t]*;.*)?[ \t]*$/.exec(line);
          if (size === null) return fail(`malformed chunk size line ${JSON.stringify(line.slice(0, 40))}`);
          this.remaining = Number.parseInt(size[1] as string, 16);
          this.state = this.remaining === 0 ? 'trailers' : 'chunk-data';
          break;
        }
        case 'until-close': {
          this.keep(buffer, offset, buffer.length - offset);
          offset = buffer.length;
          break;
        }
      }
      // Drop the reference to a consumed concatenation early.
      if (offset === buffer.length) buffer = EMPTY;
    }
    return OK;
  }

  /**
   * The connection has closed. Completes a body that was delimited by the close; anything else
   * in progress was cut short.
   */
  close(onResponse: (response: ParsedResponse) => void): FeedResult {
    if (this.state === 'until-close') {
      this.keepAlive = false;
      this.complete(onResponse);
      return OK;
    }
    if (this.idle) return OK;
    return fail(this.state === 'head' ? 'connection closed inside a response head' : 'connection closed before the response body ended');
  }

  private readHead(head: string): string | null {
    const lines = head.split('\r\n');
    const status = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0] ?? '');
    if (status === null) return `malformed status line ${JSON.stringify((lines[0] ?? '').slice(0, 60))}`;
    const http10 = status[1] === '0';
    const statusCode = Number(status[2]);
    let contentLength: number | null = null;
    let chunked = false;
    let connectionClose = false;
    let connectionKeepAlive = false;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      const colon = line.indexOf(':');
      if (colon <= 0) return `malformed header line ${JSON.stringify(line.slice(0, 60))}`;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length') {
        if (!/^\d{1,15}$/.test(value)) return `malformed Content-Length ${JSON.stringify(value)}`;
        if (contentLength !== null && contentLength !== Number(value)) return 'conflicting Content-Length headers';
        contentLength = Number(value);
      } else if (name === 'transfer-encoding') {
        chunked = /(?:^|,)\s*chunked\s*$/i.test(value);
      } else if (name === 'connection') {
        const tokens = value
          .toLowerCase()
          .split(',')
          .map((t) => t.trim());
        if (tokens.includes('close')) connectionClose = true;
        if (tokens.includes('keep-alive')) connectionKeepAlive = true;
      }
    }
    if (statusCode >= 100 && statusCode <= 199) {
      if (statusCode === 101) return 'unexpected 101 Switching Protocols';
      return null; // informational: the real response follows
    }
    this.statusCode = statusCode;
    this.keepAlive = !connectionClose && (!http10 || connectionKeepAlive);
    if (statusCode === 204 || statusCode === 304) this.state = 'head';
    else if (chunked) this.state = 'chunk-size';
    else if (contentLength !== null) {
      this.remaining = contentLength;
      this.state = contentLength === 0 ? 'head' : 'length';
    } else {
      this.state = 'until-close';
      this.keepAlive = false;
    }
    return null;
  }

  private keep(buffer: Buffer, offset: number, length: number): void {
    this.bodyBytes += length;
    const room = this.keepBodyBytes - this.keptBytes;
    if (room <= 0 || length === 0) return;
    const slice = buffer.subarray(offset, offset + Math.min(room, length));
    this.kept.push(slice);
    this.keptBytes += slice.length;
  }

  private complete(onResponse: (response: ParsedResponse) => void): void {
    const bodyHead =
      this.kept.length === 0 ? EMPTY : this.kept.length === 1 ? (this.kept[0] as Buffer) : Buffer.concat(this.kept, this.keptBytes);
    const response: ParsedResponse = { statusCode: this.statusCode, keepAlive: this.keepAlive, bodyHead, bodyBytes: this.bodyBytes };
    this.state = 'head';
    this.statusCode = 0;
    this.keepAlive = true;
    this.remaining = 0;
    this.bodyBytes = 0;
    this.kept = [];
    this.keptBytes = 0;
    onResponse(response);
  }
}

function fail(error: string): FeedResult {
  return { ok: false, error };
}
