import { z } from 'zod';
import type { AnswerSpec } from '../answers/answer.js';
import { parsePointer } from '../answers/json-pointer.js';
import { HEADER_NAME, HEADER_VALUE, HTTP_METHODS, MAX_BODY_BYTES, RESERVED_HEADERS } from '../load/request.js';
import type { ScenarioRequest } from './spec.js';

/**
 * A request kind beyond its name, weight, path and query, as written in a scenario file: method,
 * headers, body and answer (schema.ts spreads these fields into its request schema), the checks
 * that need several of them, and the spec they become.
 */

const jsonPointer = z
  .string()
  .refine((text) => parsePointer(text) !== null, 'a JSON Pointer like "/items/0/id" ("" for the whole document)');

export const requestFileFields = {
  method: z.enum(HTTP_METHODS).default('GET'),
  headers: z
    .record(
      z.string().regex(HEADER_NAME, 'a header name'),
      z.union([z.string(), z.number()]).transform(String).pipe(z.string().regex(HEADER_VALUE, 'a header value without line breaks')),
    )
    .default({}),
  body: z
    .union([
      z.strictObject({ json: z.unknown().describe('sent as JSON (application/json)') }),
      z.strictObject({ text: z.string(), content_type: z.string().regex(HEADER_VALUE).default('text/plain; charset=utf-8') }),
    ])
    .optional(),
  answer: z
    .strictObject({
      status: z.boolean().describe('baseline the status code of 2xx answers').default(true),
      digest: z
        .enum(['none', 'whole', 'json'])
        .describe('digest of the body: whole bytes, selected JSON values, or none (default: json with pointers or ignore, else whole)')
        .optional(),
      pointers: z.array(jsonPointer).describe('json: the values digested (default: the whole document)').optional(),
      ignore: z.array(jsonPointer).describe('json: fields removed first (timestamps, ids); * matches every key or index').optional(),
    })
    .describe(
      "what the correctness gate baselines (default for a target: status and the whole body's digest; for the lab: its checksum and payload digest)",
    )
    .optional(),
};

export type RequestFileFields = z.output<z.ZodObject<typeof requestFileFields>>;

/** Checks across a request kind's fields (pure): paths are relative to the request. */
export function requestIssues(request: RequestFileFields): Array<{ path: string[]; message: string }> {
  const issues: Array<{ path: string[]; message: string }> = [];
  for (const name of Object.keys(request.headers)) {
    if ((RESERVED_HEADERS as readonly string[]).includes(name.toLowerCase()))
      issues.push({ path: ['headers', name], message: `${name} is written by the bench itself` });
  }
  const digest = request.answer?.digest;
  if (digest !== undefined && digest !== 'json' && (request.answer?.pointers !== undefined || request.answer?.ignore !== undefined))
    issues.push({ path: ['answer', 'digest'], message: `pointers and ignore select JSON values; they need digest: json, got ${digest}` });
  if (request.body !== undefined) {
    if (request.method === 'GET') issues.push({ path: ['body'], message: 'a GET has no body; set method: POST (or PUT, PATCH)' });
    const bytes = Buffer.byteLength(bodyOf(request.body).text);
    if (bytes > MAX_BODY_BYTES)
      issues.push({ path: ['body'], message: `expected a body of at most ${MAX_BODY_BYTES} bytes, got ${bytes}` });
  }
  return issues;
}

/** A request body as sent (pure); JSON is written compactly. */
function bodyOf(body: NonNullable<RequestFileFields['body']>): { contentType: string; text: string } {
  return 'json' in body
    ? { contentType: 'application/json', text: JSON.stringify(body.json) ?? 'null' }
    : { contentType: body.content_type, text: body.text };
}

/** A request kind's answer with its defaults (pure); null for a lab request that states none (the lab's own facts). */
function toAnswer(answer: RequestFileFields['answer'], forTarget: boolean): AnswerSpec | null {
  if (answer === undefined && !forTarget) return null;
  const json = answer?.pointers !== undefined || answer?.ignore !== undefined;
  return {
    status: answer?.status ?? true,
    digest: answer?.digest ?? (json ? 'json' : 'whole'),
    pointers: answer?.pointers ?? [],
    ignore: answer?.ignore ?? [],
  };
}

/**
 * A request kind for the spec (pure): method, headers, body and answer only when not the defaults,
 * so request mixes written before they existed keep their shape and their hashes.
 */
export function toRequestSpec(
  request: RequestFileFields & { name: string; weight: number },
  path: string,
  query: Readonly<Record<string, string | number | boolean>>,
  forTarget: boolean,
): ScenarioRequest {
  const search = new URLSearchParams(Object.entries(query).map(([key, value]): [string, string] => [key, String(value)])).toString();
  const answer = toAnswer(request.answer, forTarget);
  return {
    name: request.name,
    weight: request.weight,
    path: search === '' ? path : `${path}?${search}`,
    ...(request.method === 'GET' ? {} : { method: request.method }),
    ...(Object.keys(request.headers).length === 0 ? {} : { headers: request.headers }),
    ...(request.body === undefined ? {} : { body: bodyOf(request.body) }),
    ...(answer === null ? {} : { answer }),
  };
}
