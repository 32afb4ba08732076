/**
 * The correctness facts a lab response carries. `loop_checksum` is a uint64 that routinely
 * exceeds 2^53, so it is read as the digits on the wire and never passes through a JS number
 * (JSON.parse would round it). A regex over the raw text is also far cheaper than parsing a
 * MiB-sized body.
 */

export interface ResponseFacts {
  /** Exact decimal string, or null when the body has none. */
  loopChecksum: string | null;
  payloadDigest: string | null;
}

/**
 * The lab writes both facts before the payload (within the first ~1.5 KiB), so the generator
 * only keeps this much of each body; the rest is counted and dropped.
 */
export const FACTS_HEAD_BYTES = 16 * 1024;

// The lookahead rejects a number cut short by the head limit.
const LOOP_CHECKSUM = /"loop_checksum"\s*:\s*(\d+)(?=[\s,}])/;
const PAYLOAD_DIGEST = /"payload_digest"\s*:\s*"([^"\\]+)"/;

export function extractResponseFacts(body: string): ResponseFacts {
  return {
    loopChecksum: LOOP_CHECKSUM.exec(body)?.[1] ?? null,
    payloadDigest: PAYLOAD_DIGEST.exec(body)?.[1] ?? null,
  };
}
