import type { ExactJson } from './exact-json.js';

/**
 * JSON Pointers (RFC 6901) over exact JSON, plus `*` as a whole token for "every key or index"
 * in pointers that remove fields (`/items/*\/id`: every item's id). Pure.
 */

/** The tokens of a pointer, or null when it is not one ("" is the whole document). */
export function parsePointer(pointer: string): string[] | null {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return null;
  const tokens = pointer.slice(1).split('/');
  if (tokens.some((token) => /~(?![01])/.test(token))) return null;
  return tokens.map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** The value at `tokens`, or undefined when there is none. */
export function valueAt(value: ExactJson, tokens: readonly string[]): ExactJson | undefined {
  let current: ExactJson | undefined = value;
  for (const token of tokens) {
    if (current instanceof Map) current = current.get(token);
    else if (Array.isArray(current) && /^(0|[1-9]\d*)$/.test(token)) current = current[Number(token)];
    else return undefined;
  }
  return current;
}

/** Marks what an ignored array element was: removing it would shift its neighbours' indices. */
export const IGNORED = '!ignored';

/** A copy without the values at `tokens` (object members deleted, array elements replaced by IGNORED). */
export function withoutAt(value: ExactJson, tokens: readonly string[]): ExactJson {
  const [head, ...rest] = tokens;
  if (head === undefined) return value;
  if (value instanceof Map) {
    const copy = new Map(value);
    for (const key of head === '*' ? [...value.keys()] : [head]) {
      const child = value.get(key);
      if (child === undefined) continue;
      if (rest.length === 0) copy.delete(key);
      else copy.set(key, withoutAt(child, rest));
    }
    return copy;
  }
  if (Array.isArray(value)) {
    return value.map((child, index) =>
      head === '*' || head === String(index) ? (rest.length === 0 ? IGNORED : withoutAt(child, rest)) : child,
    );
  }
  return value;
}
