import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalText, parseExactJson } from './exact-json.js';
import { parsePointer, valueAt, withoutAt } from './json-pointer.js';

/**
 * What a request kind's answer is, for the correctness gate: its status code and a digest of its
 * body — the whole body, or selected JSON values with fields to ignore. A kind without one (the
 * lab's requests, unless they name one) is answered by the lab's own facts instead: its
 * `loop_checksum` and `payload_digest`, read exactly from the head of the body
 * (load/response-facts.ts), the golden values committed baselines hold.
 */
export const answerSpecSchema = z.object({
  /** Baseline the status code (of 2xx answers: other statuses are errors, counted as such). */
  status: z.boolean(),
  /** `whole`: SHA-256 of the body's bytes; `json`: of the selected values, canonically written; `none`: no digest. */
  digest: z.enum(['none', 'whole', 'json']),
  /** `json`: JSON Pointers of the values digested; empty: the whole document. */
  pointers: z.array(z.string()),
  /** `json`: JSON Pointers (with `*` for every key or index) removed first: timestamps, ids. */
  ignore: z.array(z.string()),
});
export type AnswerSpec = z.infer<typeof answerSpecSchema>;

/** Bodies are kept up to this for a digest; a longer one answers with its length alone. */
export const MAX_ANSWER_BODY_BYTES = 1024 * 1024;

export function needsBody(answer: AnswerSpec | undefined): boolean {
  return answer !== undefined && answer.digest !== 'none';
}

/** The digest of one response's body under `answer` (pure); null when none is asked for. */
export function answerDigest(answer: AnswerSpec, body: Buffer, bodyBytes: number): string | null {
  if (answer.digest === 'none') return null;
  if (bodyBytes > body.length) return `body over ${MAX_ANSWER_BODY_BYTES} bytes (${bodyBytes}): not digested`;
  if (answer.digest === 'whole') return sha256(body);
  const parsed = parseExactJson(body.toString('utf8'));
  if (!parsed.ok) return `not JSON (${parsed.error})`;
  let document = parsed.value;
  for (const pointer of answer.ignore) document = withoutAt(document, parsePointer(pointer) ?? []);
  const selected =
    answer.pointers.length === 0
      ? canonicalText(document)
      : answer.pointers
          .map((pointer) => `${JSON.stringify(pointer)}=${canonicalText(valueAt(document, parsePointer(pointer) ?? []))}`)
          .join('\n');
  return sha256(Buffer.from(selected, 'utf8'));
}

function sha256(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}
