import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { Http1ResponseParser, type ParsedResponse } from './http1-response-parser.js';
import { buildRequest } from './request.js';

/**
 * A keep-alive HTTP/1.1 connection pool for the load generator: at most `maxConnections`
 * sockets, one request in flight on each, requests beyond that wait in FIFO order (the open
 * model counts that wait as latency). It does what http.Agent + http.request do for a GET, at
 * about a third of their CPU per request, which is what lets one Node process keep up with wrk.
 */

export interface PoolHandlers<R> {
  /** The request was written on a connection: the actual send. */
  sent(request: R, atMs: number): void;
  response(request: R, response: ParsedResponse, atMs: number): void;
  /** The connection failed or broke before the response was complete. */
  failed(request: R, reason: string): void;
}

export interface PoolOptions {
  host: string;
  port: number;
  maxConnections: number;
  /** Bytes of each response body kept for inspection. */
  keepBodyBytes: number;
}

/** `GET path HTTP/1.1` with the headers every request carries; built once per variant. */
export function buildGetRequest(host: string, path: string): Buffer {
  return buildRequest(host, { path });
}

const now = () => performance.now();

interface Queued<R> {
  request: R;
  bytes: Buffer;
}

class Connection<R> {
  readonly parser: Http1ResponseParser;
  current: R | null = null;
  closed = false;
  constructor(
    readonly socket: net.Socket,
    keepBodyBytes: number,
  ) {
    this.parser = new Http1ResponseParser(keepBodyBytes);
  }
}

export class Http1Pool<R extends object> {
  private readonly all = new Set<Connection<R>>();
  /** Connected and free; the most recently freed is reused first. */
  private readonly idle: Connection<R>[] = [];
  private readonly active = new Map<R, Connection<R>>();
  private queue: Queued<R>[] = [];
  private queueHead = 0;
  private readonly abandoned = new WeakSet<R>();
  private destroyed = false;

  constructor(
    private readonly options: PoolOptions,
    private readonly handlers: PoolHandlers<R>,
  ) {}

  /** Requests waiting for a free connection. */
  get queued(): number {
    return this.queue.length - this.queueHead;
  }

  send(request: R, bytes: Buffer): void {
    if (this.destroyed) return;
    const connection = this.idle.pop();
    if (connection !== undefined) this.dispatch(connection, request, bytes);
    else if (this.all.size < this.options.maxConnections) this.connect(request, bytes);
    else this.queue.push({ request, bytes });
  }

  /** Gives up on a request (its timeout): a queued one is skipped, a sent one loses its connection. */
  abort(request: R): void {
    const connection = this.active.get(request);
    if (connection === undefined) {
      this.abandoned.add(request);
      return;
    }
    this.active.delete(request);
    connection.current = null;
    this.drop(connection);
  }

  destroy(): void {
    this.destroyed = true;
    for (const connection of this.all) {
      connection.closed = true;
      connection.socket.destroy();
    }
    this.all.clear();
    this.idle.length = 0;
    this.active.clear();
    this.queue = [];
    this.queueHead = 0;
  }

  private connect(request: R, bytes: Buffer): void {
    const socket = net.connect({ host: this.options.host, port: this.options.port, noDelay: true });
    const connection = new Connection<R>(socket, this.options.keepBodyBytes);
    this.all.add(connection);
    connection.current = request;
    this.active.set(request, connection);
    socket.once('connect', () => {
      if (connection.current === request) this.write(connection, request, bytes);
    });
    socket.on('data', (chunk: Buffer) => this.onData(connection, chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => this.onClose(connection, error.code ?? error.message));
    socket.on('close', () => this.onClose(connection, 'connection closed by the server'));
  }

  private dispatch(connection: Connection<R>, request: R, bytes: Buffer): void {
    connection.current = request;
    this.active.set(request, connection);
    this.write(connection, request, bytes);
  }

  private write(connection: Connection<R>, request: R, bytes: Buffer): void {
    this.handlers.sent(request, now());
    connection.socket.write(bytes);
  }

  private onData(connection: Connection<R>, chunk: Buffer): void {
    if (connection.closed) return;
    const result = connection.parser.feed(chunk, (response) => this.onResponse(connection, response));
    if (!result.ok) this.breakConnection(connection, `bad response: ${result.error}`);
  }

  private onResponse(connection: Connection<R>, response: ParsedResponse): void {
    const atMs = now();
    const request = connection.current;
    if (request === null) {
      this.breakConnection(connection, 'response without a request');
      return;
    }
    connection.current = null;
    this.active.delete(request);
    // Free the connection before reporting, so a request sent from the handler can reuse it.
    if (response.keepAlive) this.release(connection);
    else this.drop(connection);
    this.handlers.response(request, response, atMs);
  }

  private onClose(connection: Connection<R>, reason: string): void {
    if (connection.closed) return;
    const request = connection.current;
    if (request !== null) {
      // A body delimited by the close ends here; anything else was cut short.
      const ended = connection.parser.close((response) => {
        connection.current = null;
        this.active.delete(request);
        this.handlers.response(request, response, now());
      });
      if (!ended.ok) reason = `${reason} (${ended.error})`;
    }
    this.breakConnection(connection, reason);
  }

  /** Closes a connection whose request, if any, failed with `reason`. */
  private breakConnection(connection: Connection<R>, reason: string): void {
    const request = connection.current;
    connection.current = null;
    if (request !== null) this.active.delete(request);
    this.drop(connection);
    if (request !== null) this.handlers.failed(request, reason);
  }

  private drop(connection: Connection<R>): void {
    if (!connection.closed) {
      connection.closed = true;
      connection.socket.destroy();
    }
    this.all.delete(connection);
    const idleAt = this.idle.indexOf(connection);
    if (idleAt >= 0) this.idle.splice(idleAt, 1);
    // A queued request may now get a fresh connection.
    const next = this.dequeue();
    if (next !== null) this.connect(next.request, next.bytes);
  }

  private release(connection: Connection<R>): void {
    const next = this.dequeue();
    if (next !== null) this.dispatch(connection, next.request, next.bytes);
    else this.idle.push(connection);
  }

  private dequeue(): Queued<R> | null {
    if (this.destroyed) return null;
    while (this.queueHead < this.queue.length) {
      const next = this.queue[this.queueHead] as Queued<R>;
      this.queueHead++;
      if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.queueHead);
        this.queueHead = 0;
      }
      if (!this.abandoned.has(next.request)) return next;
    }
    return null;
  }
}
