import { z } from 'zod';

/**
 * One kind of HTTP request beyond a GET: method, headers and body, as the scenario spec stores
 * them and the load plan carries them. Absent fields are the defaults (GET, no extra headers, no
 * body), so request mixes written before these existed keep their shape and their hashes.
 */
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Headers the bench writes itself: framing and the connection are its business. */
export const RESERVED_HEADERS = ['host', 'content-length', 'transfer-encoding', 'connection'] as const;

export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
export const HEADER_VALUE = /^[^\r\n\0]*$/;
export const MAX_BODY_BYTES = 1024 * 1024;

export const requestFieldsSchema = {
  /** Absent: GET. */
  method: z.enum(HTTP_METHODS).optional(),
  /** Extra request headers, by name as written. */
  headers: z.record(z.string().regex(HEADER_NAME), z.string().regex(HEADER_VALUE)).optional(),
  /** The body, as sent, and its content type. */
  body: z.object({ contentType: z.string().regex(HEADER_VALUE), text: z.string() }).optional(),
};

export interface HttpRequestShape {
  path: string;
  method?: HttpMethod | undefined;
  headers?: Readonly<Record<string, string>> | undefined;
  body?: { contentType: string; text: string } | undefined;
}

/** The request's bytes on the wire, built once per kind (pure). */
export function buildRequest(host: string, request: HttpRequestShape): Buffer {
  const lines = [`${request.method ?? 'GET'} ${request.path} HTTP/1.1`, `Host: ${host}`];
  const headers = new Map(Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), [name, value] as const]));
  if (!headers.has('user-agent')) lines.push('User-Agent: metric-lab-load');
  if (!headers.has('accept')) lines.push('Accept: */*');
  for (const [name, value] of headers.values()) lines.push(`${name}: ${value}`);
  const body = request.body === undefined ? null : Buffer.from(request.body.text, 'utf8');
  if (request.body !== undefined && !headers.has('content-type')) lines.push(`Content-Type: ${request.body.contentType}`);
  if (body !== null) lines.push(`Content-Length: ${body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return body === null ? head : Buffer.concat([head, body]);
}
