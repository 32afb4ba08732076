import { createServer, STATUS_CODES, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Go's `http.Server` timeouts from the original `main.go`. */
export interface ServerTimeouts {
  /** Whole request (headers and body) must arrive within this. */
  readTimeoutMs: number;
  /** The response must be complete this long after the request arrived, or the socket is cut. */
  writeTimeoutMs: number;
  /** Keep-alive connections idle longer than this are closed. */
  idleTimeoutMs: number;
}

export const GO_TIMEOUTS: ServerTimeouts = { readTimeoutMs: 5_000, writeTimeoutMs: 15_000, idleTimeoutMs: 120_000 };

export interface BoundAddress {
  host: string;
  port: number;
  url: string;
}

export interface ManagedServerOptions {
  /** Called for each request Node's HTTP parser refused before any handler ran (to count them). */
  onClientError?: (status: number) => void;
}

/** What a request refused by the HTTP parser is told: the status and one line naming the problem. */
export function clientErrorResponse(code: string | undefined): { status: number; message: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, message: 'request line and headers are larger than 16 KiB' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, message: 'the request did not arrive within the read timeout' };
    case 'HPE_INVALID_METHOD':
      return { status: 400, message: 'unknown HTTP method' };
    case 'HPE_INVALID_URL':
      return { status: 400, message: 'invalid request target (URL)' };
    case 'HPE_INVALID_HEADER_TOKEN':
      return { status: 400, message: 'invalid header' };
    case 'HPE_INVALID_EOF_STATE':
      return { status: 400, message: 'the connection was closed in the middle of a request' };
    case 'HPE_INVALID_VERSION':
      return { status: 400, message: 'invalid HTTP version' };
    default:
      return { status: 400, message: `malformed HTTP request${code ? ` (${code})` : ''}` };
  }
}

/** Node's default answer to a parser error is an empty 400; ours is the lab's JSON error shape. */
function answerAndClose(socket: Socket, { status, message }: { status: number; message: string }): void {
  if (!socket.writable || (socket as Socket & { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error: status === 408 ? 'request_timeout' : 'bad_request', message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/**
 * A Node HTTP server with Go's timeouts and Go's `Shutdown` semantics. Node has no write timeout,
 * so a per-request timer destroys the socket when a response overruns it (what Go does when its
 * write deadline passes). Node's `close()` leaves busy keep-alive connections open until their
 * idle timeout, so draining also marks in-flight responses `Connection: close`.
 */
export class ManagedServer {
  readonly server: Server;
  readonly #inFlight = new Set<ServerResponse>();
  #draining = false;

  constructor(handler: RequestListener, timeouts: ServerTimeouts = GO_TIMEOUTS, options: ManagedServerOptions = {}) {
    this.server = createServer(
      {
        requestTimeout: timeouts.readTimeoutMs,
        headersTimeout: timeouts.readTimeoutMs,
        keepAliveTimeout: timeouts.idleTimeoutMs,
        // How often Node checks request/headers timeouts; the default 30 s would make 5 s mean 35.
        connectionsCheckingInterval: 1_000,
      },
      (req, res) => {
        this.#inFlight.add(res);
        if (this.#draining) res.setHeader('Connection', 'close');
        const writeDeadline = setTimeout(() => res.destroy(), timeouts.writeTimeoutMs);
        writeDeadline.unref();
        res.once('close', () => {
          clearTimeout(writeDeadline);
          this.#inFlight.delete(res);
        });
        handler(req, res);
      },
    );
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
      // Only the parser's refusals and the read timeout are requests refused; a socket error
      // (ECONNRESET from a client that reset even an idle keep-alive connection, EPIPE) has no one
      // to answer and is no HTTP error.
      if (!(error.code?.startsWith('HPE_') || error.code === 'ERR_HTTP_REQUEST_TIMEOUT')) {
        socket.destroy();
        return;
      }
      const rejection = clientErrorResponse(error.code);
      options.onClientError?.(rejection.status);
      answerAndClose(socket, rejection);
    });
  }

  /** Listens and resolves with the real bound address (port 0 becomes the port the OS picked). */
  listen(host: string, port: number): Promise<BoundAddress> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        const address = this.server.address() as AddressInfo;
        const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        resolve({ host: address.address, port: address.port, url: `http://${urlHost}:${address.port}` });
      });
    });
  }

  get inFlightRequests(): number {
    return this.#inFlight.size;
  }

  /** Stops accepting and resolves once every in-flight request has finished and its socket closed. */
  drain(): Promise<void> {
    this.#draining = true;
    for (const res of this.#inFlight) {
      if (!res.headersSent) res.setHeader('Connection', 'close');
    }
    return new Promise((resolve) => {
      if (!this.server.listening) {
        resolve();
        return;
      }
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }

  /** Cuts every connection, finished or not. */
  forceClose(): void {
    this.server.closeAllConnections();
  }
}
