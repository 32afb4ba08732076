import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractResponseFacts, FACTS_HEAD_BYTES } from '../../bench/load/response-facts.js';
import { buildPayload, payloadDigest } from '../../server/work/payload.js';
import { startInProcessLab, type RunningLab } from '../support/in-process-lab.js';

let running: RunningLab;
beforeAll(async () => {
  running = await startInProcessLab();
});
afterAll(() => running.close());

const body = async (query: string) => {
  const response = await fetch(`${running.baseUrl}/api/work?db_min_ms=0&db_max_ms=0&${query}`);
  expect(response.status).toBe(200);
  return response.text();
};

describe('facts read from real lab responses', () => {
  it('reads a small checksum', async () => {
    expect(extractResponseFacts(await body('loop_iterations=1000'))).toEqual({ loopChecksum: '332854108', payloadDigest: null });
  });

  it('reads checksums above 2^53 digit for digit, where JSON.parse would round', async () => {
    const text = await body('loop_iterations=5000000');
    const facts = extractResponseFacts(text);
    expect(facts.loopChecksum).toBe('4773166026647465696');
    expect(BigInt(facts.loopChecksum ?? '0') > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    const viaNumber = String((JSON.parse(text) as { loop_checksum: number }).loop_checksum);
    expect(viaNumber).not.toBe('4773166026647465696');
  });

  it('reads the payload digest, which matches the payload the lab built', async () => {
    const text = await body('loop_iterations=1000000&payload_items=200&payload_item_bytes=512');
    expect(extractResponseFacts(text)).toEqual({
      loopChecksum: '333332834073844064',
      payloadDigest: payloadDigest(JSON.stringify(buildPayload(200, 512))),
    });
  });

  it('finds both facts within the head the generator keeps of a MiB-sized body', async () => {
    const text = await body('loop_iterations=10&payload_items=2048&payload_item_bytes=1024');
    expect(text.length).toBeGreaterThan(2 * 1024 * 1024);
    const head = extractResponseFacts(text.slice(0, FACTS_HEAD_BYTES));
    expect(head).toEqual(extractResponseFacts(text));
    expect(head.payloadDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe('facts from bodies that lack them', () => {
  it('gives nulls for an error body or an empty one', () => {
    expect(extractResponseFacts('{"error":"not_found","message":"no route for GET /nope"}')).toEqual({
      loopChecksum: null,
      payloadDigest: null,
    });
    expect(extractResponseFacts('')).toEqual({ loopChecksum: null, payloadDigest: null });
  });

  it('refuses a number or digest cut short by the head limit rather than reporting a wrong one', () => {
    expect(extractResponseFacts('{"loop_checksum":47731660').loopChecksum).toBeNull();
    expect(extractResponseFacts('{"loop_checksum":1,"payload_digest":"sha256:abc').payloadDigest).toBeNull();
  });
});
