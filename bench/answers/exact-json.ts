/**
 * JSON parsed without losing anything an answer may hinge on: numbers keep their source text (a
 * uint64 checksum exceeds 2^53 and JSON.parse would round it), objects are Maps (no prototype
 * keys). Pure; `canonicalText` gives one text per value (keys sorted) for digests.
 */

export class ExactNumber {
  constructor(readonly text: string) {}
}

export type ExactJson = null | boolean | string | ExactNumber | ExactJson[] | Map<string, ExactJson>;

export type ExactParse = { ok: true; value: ExactJson } | { ok: false; error: string };

const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

export function parseExactJson(text: string): ExactParse {
  let at = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at offset ${at}`);
  };
  const skip = () => {
    WHITESPACE.lastIndex = at;
    WHITESPACE.exec(text);
    at = WHITESPACE.lastIndex;
  };
  const string = (): string => {
    const start = at;
    at++;
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    if (at >= text.length) fail('unterminated string');
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const value = (depth: number): ExactJson => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH}`);
    skip();
    const char = text[at];
    if (char === '"') return string();
    if (char === '{') {
      at++;
      const object = new Map<string, ExactJson>();
      skip();
      if (text[at] === '}') return (at++, object);
      for (;;) {
        skip();
        if (text[at] !== '"') fail('expected a key');
        const key = string();
        skip();
        if (text[at] !== ':') fail('expected ":"');
        at++;
        object.set(key, value(depth + 1));
        skip();
        if (text[at] === ',') at++;
        else if (text[at] === '}') return (at++, object);
        else fail('expected "," or "}"');
      }
    }
    if (char === '[') {
      at++;
      const array: ExactJson[] = [];
      skip();
      if (text[at] === ']') return (at++, array);
      for (;;) {
        array.push(value(depth + 1));
        skip();
        if (text[at] === ',') at++;
        else if (text[at] === ']') return (at++, array);
        else fail('expected "," or "]"');
      }
    }
    for (const [word, literal] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, at)) return ((at += word.length), literal);
    }
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(text);
    if (number === null) return fail('unexpected character');
    at = NUMBER.lastIndex;
    return new ExactNumber(number[0]);
  };
  try {
    const result = value(0);
    skip();
    if (at !== text.length) fail('unexpected text after the value');
    return { ok: true, value: result };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** One text per value: keys sorted by code unit, numbers as written, no whitespace. */
export function canonicalText(value: ExactJson | undefined): string {
  if (value === undefined) return '!missing';
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof ExactNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(canonicalText).join(',')}]`;
  const keys = [...value.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalText(value.get(key))}`).join(',')}}`;
}
