import { describe, expect, it } from 'vitest';
import { formatScenarioError, parseScenario } from '../../bench/scenario/load.js';

const TARGET = `description: d
target: { command: [node, app.js] }
# no answers here: these tests are about the requests
load: { rate_rps: 1 }
requests:
`;

const parse = (requests: string) => {
  const result = parseScenario(`${TARGET}${requests}`, 'x.yaml');
  return result.ok
    ? { ...result, spec: { ...result.spec, requests: result.spec.requests.map(({ answer: _, ...request }) => request) } }
    : result;
};
const errors = (requests: string) => {
  const result = parse(requests);
  return result.ok ? [] : result.errors.map(formatScenarioError);
};

describe('request kinds in a scenario file', () => {
  it('carry method, query, headers and a JSON or text body; a plain GET stays {name, weight, path}', () => {
    const result = parse(`  - name: list
    path: /items
    query: { page: 2, full: true }
  - name: create
    method: POST
    path: /items
    weight: 3
    headers: { X-Tenant: acme, X-Retry: 1 }
    body: { json: { name: widget, tags: [a, b] } }
  - name: note
    method: PUT
    path: /notes/1
    body: { text: "hello", content_type: text/markdown }
`);
    expect(result.ok && result.spec.requests).toEqual([
      { name: 'list', weight: 1, path: '/items?page=2&full=true' },
      {
        name: 'create',
        weight: 3,
        path: '/items',
        method: 'POST',
        headers: { 'X-Tenant': 'acme', 'X-Retry': '1' },
        body: { contentType: 'application/json', text: '{"name":"widget","tags":["a","b"]}' },
      },
      { name: 'note', weight: 1, path: '/notes/1', method: 'PUT', body: { contentType: 'text/markdown', text: 'hello' } },
    ]);
  });

  it('a method, header or body is part of what the scenario measures (its hash)', () => {
    const get = parse('  - name: a\n    path: /\n');
    const post = parse('  - name: a\n    path: /\n    method: POST\n');
    const header = parse('  - name: a\n    path: /\n    headers: { X-A: b }\n');
    const hashes = [get, post, header].map((r) => (r.ok ? r.hash : null));
    expect(new Set(hashes).size).toBe(3);
  });

  it.each([
    [
      'a header the bench writes',
      '  - name: a\n    path: /\n    headers: { Content-Length: 5 }\n',
      'requests[0].headers.Content-Length: Content-Length is written by the bench itself',
    ],
    [
      'a body on a GET',
      '  - name: a\n    path: /\n    body: { text: x }\n',
      'requests[0].body: a GET has no body; set method: POST (or PUT, PATCH)',
    ],
    ['an unknown method', '  - name: a\n    path: /\n    method: BREW\n', 'requests[0].method: expected one of "GET", "POST"'],
    [
      'a header value with a line break',
      '  - name: a\n    path: /\n    headers: { X-A: "b\\r\\nX-Evil: 1" }\n',
      'requests[0].headers.X-A:',
    ],
    ['a body both JSON and text', '  - name: a\n    path: /\n    method: POST\n    body: { json: 1, text: x }\n', 'requests[0].body'],
  ])('refuses %s in one located line', (_, requests, expected) => {
    const found = errors(requests);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^x\.yaml:\d+:\d+: /);
    expect(found[0]).toContain(expected);
  });
});
