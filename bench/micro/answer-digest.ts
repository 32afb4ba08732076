import { createHash } from 'node:crypto';

/**
 * What one operation returned, as a digest the gate can baseline: the loop's checksum, the
 * payload, the encoded response, the exposition text. BigInts print as decimals (JSON cannot
 * hold them); bytes are hashed as bytes. `undefined` (an operation that returns nothing) is null.
 */
export function answerDigest(value: unknown): string | null {
  if (value === undefined) return null;
  const hash = createHash('sha256');
  if (value instanceof Uint8Array) hash.update(value);
  else if (typeof value === 'string') hash.update(value);
  else hash.update(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value));
  return `sha256:${hash.digest('hex').slice(0, 16)}`;
}
