import { createHash } from 'node:crypto';

/**
 * The deterministic payload of large-payload scenarios: `items` objects, each carrying a `data`
 * string of `itemBytes` ASCII characters. Content depends only on the item index, so every
 * response with the same shape has the same digest on any machine.
 */
export interface PayloadItem {
  id: number;
  label: string;
  data: string;
}

// JSON-safe characters only, so encoding copies bytes and never escapes.
const ALPHABET = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_');

/** Bytes a payload item adds to the JSON beyond its `data` string (`{"id":…,"label":…}` etc.). */
export const PAYLOAD_ITEM_OVERHEAD_BYTES = 48;

export function buildPayload(items: number, itemBytes: number): PayloadItem[] {
  const payload = new Array<PayloadItem>(items);
  const scratch = Buffer.allocUnsafe(itemBytes);
  for (let id = 0; id < items; id++) {
    fillDeterministic(scratch, id);
    payload[id] = { id, label: `item-${id}`, data: scratch.toString('latin1') };
  }
  return payload;
}

/** Estimated encoded size, used to enforce the payload limit before building anything. */
export function estimatedPayloadBytes(items: number, itemBytes: number): number {
  return items * (itemBytes + PAYLOAD_ITEM_OVERHEAD_BYTES);
}

/** The digest the response carries: SHA-256 of the payload's exact JSON encoding. */
export function payloadDigest(encodedPayload: string): string {
  return `sha256:${createHash('sha256').update(encodedPayload).digest('hex')}`;
}

function fillDeterministic(target: Buffer, itemId: number): void {
  // xorshift32 seeded per item; never zero, so the sequence never sticks.
  let state = Math.imul(itemId + 1, 0x9e3779b1) >>> 0 || 1;
  for (let offset = 0; offset < target.length; offset++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    target[offset] = ALPHABET[(state >>> 0) & 63] as number;
  }
}
