import { describe, expect, it } from 'vitest';
import { answerDigest, type AnswerSpec } from '../../bench/answers/answer.js';
import { canonicalText, parseExactJson } from '../../bench/answers/exact-json.js';
import { parsePointer, valueAt, withoutAt } from '../../bench/answers/json-pointer.js';
import { formatScenarioError, parseScenario } from '../../bench/scenario/load.js';

const json = (text: string) => {
  const parsed = parseExactJson(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
};
const digest = (answer: Partial<AnswerSpec>, body: string) =>
  answerDigest({ status: true, digest: 'json', pointers: [], ignore: [], ...answer }, Buffer.from(body), Buffer.byteLength(body));

describe('exact JSON', () => {
  it('keeps a uint64 checksum exactly (JSON.parse would round it) and writes one text per value', () => {
    const text = '{"b": [1, 2.50, -3e2], "loop_checksum": 18446744073709551615, "a": {"y": null, "x": true}}';
    expect(canonicalText(json(text))).toBe('{"a":{"x":true,"y":null},"b":[1,2.50,-3e2],"loop_checksum":18446744073709551615}');
    expect(JSON.parse('18446744073709551615')).toBe(18446744073709552000);
  });

  it('refuses what is not JSON, with where', () => {
    for (const text of ['{"a":}', '[1,]', '{"a":1} x', '"open', '01', '']) expect(parseExactJson(text).ok, text).toBe(false);
    expect(parseExactJson('{"a" 1}')).toEqual({ ok: false, error: 'expected ":" at offset 5' });
    expect(parseExactJson('['.repeat(600)).ok).toBe(false);
  });
});

describe('JSON pointers', () => {
  const doc = json('{"items": [{"id": 7, "name": "a"}, {"id": 8, "name": "b"}], "a/b": {"~": 1}}');
  it('select values by RFC 6901 (with ~0 and ~1 escapes)', () => {
    expect(canonicalText(valueAt(doc, parsePointer('/items/1/name')!))).toBe('"b"');
    expect(canonicalText(valueAt(doc, parsePointer('/a~1b/~0')!))).toBe('1');
    expect(valueAt(doc, parsePointer('/items/2')!)).toBeUndefined();
    expect(parsePointer('items')).toBeNull();
    expect(parsePointer('/a~2')).toBeNull();
  });

  it('remove fields, * matching every key or index; array elements keep their places', () => {
    expect(canonicalText(withoutAt(doc, parsePointer('/items/*/id')!))).toBe('{"a/b":{"~":1},"items":[{"name":"a"},{"name":"b"}]}');
    expect(canonicalText(withoutAt(doc, parsePointer('/items/0')!))).toBe('{"a/b":{"~":1},"items":["!ignored",{"id":8,"name":"b"}]}');
  });
});

describe('an answer digest', () => {
  const body = '{"result": 42, "generated_at": "2026-12-04T21:00:00Z", "request_id": "abc"}';
  const later = '{"request_id": "xyz", "result": 42, "generated_at": "2026-12-04T22:00:00Z"}';

  it('of the whole body changes with any byte; of JSON values, only with what was selected and not ignored', () => {
    const whole = (text: string) => digest({ digest: 'whole' }, text);
    expect(whole(body)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(whole(body)).not.toBe(whole(later));
    expect(digest({ ignore: ['/generated_at', '/request_id'] }, body)).toBe(digest({ ignore: ['/generated_at', '/request_id'] }, later));
    expect(digest({ pointers: ['/result'] }, body)).toBe(digest({ pointers: ['/result'] }, later));
    expect(digest({ pointers: ['/result'] }, body)).not.toBe(digest({ pointers: ['/result'] }, body.replace('42', '43')));
    // Key order and whitespace are not the answer; a missing value is not null.
    expect(digest({}, '{"a":1,"b":2}')).toBe(digest({}, '{ "b": 2, "a": 1 }'));
    expect(digest({ pointers: ['/x'] }, '{"x":null}')).not.toBe(digest({ pointers: ['/x'] }, '{}'));
  });

  it('names what it could not digest, so a change there is still a change', () => {
    expect(digest({}, 'oops')).toMatch(/^not JSON \(/);
    expect(answerDigest({ status: true, digest: 'whole', pointers: [], ignore: [] }, Buffer.from('abc'), 5_000_000)).toBe(
      'body over 1048576 bytes (5000000): not digested',
    );
    expect(digest({ digest: 'none' }, body)).toBeNull();
  });
});

describe('answer: in a scenario file', () => {
  const scenario = (answer: string) =>
    parseScenario(
      `description: d\ntarget: { command: [node, a.js] }\nrequests:\n  - name: a\n    path: /\n    answer: ${answer}\nload: { rate_rps: 1 }\n`,
      'x.yaml',
    );

  it('defaults to json with pointers or ignore, and keeps the status unless told', () => {
    const result = scenario('{ ignore: [/generated_at] }');
    expect(result.ok && result.spec.requests[0]?.answer).toEqual({ status: true, digest: 'json', pointers: [], ignore: ['/generated_at'] });
    const off = scenario('{ status: false, digest: none }');
    expect(off.ok && off.spec.requests[0]?.answer).toEqual({ status: false, digest: 'none', pointers: [], ignore: [] });
  });

  it('refuses a bad pointer, or pointers without a JSON digest, in one located line', () => {
    const bad = scenario('{ pointers: [result] }');
    expect(bad.ok ? [] : bad.errors.map(formatScenarioError)).toEqual([
      'x.yaml:6:26: requests[0].answer.pointers[0]: a JSON Pointer like "/items/0/id" ("" for the whole document)',
    ]);
    const whole = scenario('{ digest: whole, ignore: [/a] }');
    expect(whole.ok ? [] : whole.errors.map(formatScenarioError)).toEqual([
      'x.yaml:6:23: requests[0].answer.digest: pointers and ignore select JSON values; they need digest: json, got whole',
    ]);
  });
});
