import { describe, expect, it } from 'vitest';
import { parsePrometheusText, type MetricFamily } from '../../prometheus/parse-text.js';

function parseOk(text: string): Map<string, MetricFamily> {
  const result = parsePrometheusText(text);
  if (!result.ok) throw new Error(`unexpected parse error at line ${result.error.line}: ${result.error.message}`);
  return result.families;
}

function family(families: Map<string, MetricFamily>, name: string): MetricFamily {
  const found = families.get(name);
  if (found === undefined) throw new Error(`no family ${name}; have ${[...families.keys()].join(', ')}`);
  return found;
}

// Shaped like prom-client's output, plus the corners of the format prom-client does not use.
const EXPOSITION = [
  '# HELP http_requests_total Total number of HTTP requests.',
  '# TYPE http_requests_total counter',
  'http_requests_total{method="GET",path="/api/work"} 3',
  'http_requests_total{method="POST",path="/api/work",} 1 1700000000000',
  '',
  '# HELP section_duration_seconds Latency with a \\\\ backslash\\nand a newline.',
  '# TYPE section_duration_seconds histogram',
  'section_duration_seconds_bucket{le="0.005",section="db \\"q\\"\\n\\\\"} 0',
  'section_duration_seconds_bucket{le="0.01",section="db \\"q\\"\\n\\\\"} 2',
  'section_duration_seconds_bucket{le="+Inf",section="db \\"q\\"\\n\\\\"} 3',
  'section_duration_seconds_sum{section="db \\"q\\"\\n\\\\"} 0.0215',
  'section_duration_seconds_count{section="db \\"q\\"\\n\\\\"} 3',
  '# an ordinary comment',
  '#no space is a comment too',
  '# TYPE rpc_duration_seconds summary',
  'rpc_duration_seconds{quantile="0.5"} 4.773e3',
  'rpc_duration_seconds{quantile="0.99"} NaN',
  'rpc_duration_seconds_sum 1.7560473e+07',
  'rpc_duration_seconds_count 2693',
  '   ',
  'untyped_value{} +Inf',
  'negative_infinity -Inf',
  'tabbed\t \t-1.5e-3\t',
  'spaced { a = "1" , b="2" } .5',
  'crlf_line 7\r',
  '',
].join('\n');

describe('parsePrometheusText reads the text exposition format 0.0.4', () => {
  const families = parseOk(EXPOSITION);

  it('keeps families in order of first appearance', () => {
    expect([...families.keys()]).toEqual([
      'http_requests_total',
      'section_duration_seconds',
      'rpc_duration_seconds',
      'untyped_value',
      'negative_infinity',
      'tabbed',
      'spaced',
      'crlf_line',
    ]);
  });

  it('reads HELP (with its escapes), TYPE, labels and values; timestamps are accepted and dropped', () => {
    const counter = family(families, 'http_requests_total');
    expect(counter.type).toBe('counter');
    expect(counter.help).toBe('Total number of HTTP requests.');
    expect(counter.samples).toEqual([
      { name: 'http_requests_total', labels: { method: 'GET', path: '/api/work' }, value: 3 },
      { name: 'http_requests_total', labels: { method: 'POST', path: '/api/work' }, value: 1 },
    ]);
    expect(family(families, 'section_duration_seconds').help).toBe('Latency with a \\ backslash\nand a newline.');
  });

  it('puts _bucket, _sum and _count samples into their histogram, unescaping label values', () => {
    const histogram = family(families, 'section_duration_seconds');
    expect(histogram.type).toBe('histogram');
    expect(histogram.samples.map((s) => s.name)).toEqual([
      'section_duration_seconds_bucket',
      'section_duration_seconds_bucket',
      'section_duration_seconds_bucket',
      'section_duration_seconds_sum',
      'section_duration_seconds_count',
    ]);
    expect(histogram.samples[0]?.labels).toEqual({ le: '0.005', section: 'db "q"\n\\' });
    expect(histogram.samples[3]?.labels).toEqual({ section: 'db "q"\n\\' });
    expect(families.has('section_duration_seconds_bucket')).toBe(false);
  });

  it('puts a summary’s quantiles, _sum and _count into the summary', () => {
    const summary = family(families, 'rpc_duration_seconds');
    expect(summary.type).toBe('summary');
    expect(summary.help).toBe('');
    expect(summary.samples.map((s) => [s.name, s.value])).toEqual([
      ['rpc_duration_seconds', 4773],
      ['rpc_duration_seconds', Number.NaN],
      ['rpc_duration_seconds_sum', 17_560_473],
      ['rpc_duration_seconds_count', 2693],
    ]);
  });

  it('reads +Inf, -Inf, exponents, empty label sets, blanks and tabs, CRLF; no TYPE means untyped', () => {
    expect(family(families, 'untyped_value')).toEqual({
      name: 'untyped_value',
      type: 'untyped',
      help: '',
      samples: [{ name: 'untyped_value', labels: {}, value: Infinity }],
    });
    expect(family(families, 'negative_infinity').samples[0]?.value).toBe(-Infinity);
    expect(family(families, 'tabbed').samples[0]?.value).toBe(-0.0015);
    expect(family(families, 'spaced').samples[0]).toEqual({ name: 'spaced', labels: { a: '1', b: '2' }, value: 0.5 });
    expect(family(families, 'crlf_line').samples[0]?.value).toBe(7);
  });

  it('keeps a _count sample as its own family when no histogram or summary claims it', () => {
    const parsed = parseOk('# TYPE jobs_count gauge\njobs_count 4\nqueue_sum 2\n');
    expect(family(parsed, 'jobs_count').samples).toHaveLength(1);
    expect(family(parsed, 'queue_sum').type).toBe('untyped');
  });

  it('accepts an empty document', () => {
    expect(parseOk('').size).toBe(0);
    expect(parseOk('\n\n# just a comment\n').size).toBe(0);
  });
});

describe('parsePrometheusText names the line and the fault in malformed input', () => {
  it.each([
    ['a value that is not a float', 'ok 1\nbad_value{a="1"} twelve', 2, /expected a float value.*"twelve"/],
    ['no value', 'no_value{a="1"}', 1, /no_value has no value/],
    ['an unterminated label value', '\n\nx{a="open} 1', 3, /unterminated value for label a/],
    ['an unknown escape in a label value', 'x{a="tab\\there"} 1', 1, /invalid escape "\\\\t".*label a/],
    ['an unknown escape in HELP', '# HELP x bad \\t escape', 1, /invalid escape "\\\\t" in HELP/],
    ['a label name that is not one', 'x{1a="v"} 1', 1, /expected a label name/],
    ['a missing =', 'x{a "v"} 1', 1, /expected '=' after label a/],
    ['a missing , between labels', 'x{a="1" b="2"} 1', 1, /expected ',' or '}' after the value of label a/],
    ['the same label twice', 'x{a="1",a="2"} 1', 1, /label a appears twice/],
    ['a duplicate series', 'x{a="1",b="2"} 1\nx{b="2",a="1"} 2', 2, /duplicate sample for x/],
    ['a bad metric name', 'x-y 1', 1, /unexpected "-y 1" after x/],
    ['a line that starts with no name', '{a="1"} 1', 1, /expected a metric name/],
    ['a non-integer timestamp', 'x 1 12.5', 1, /integer timestamp.*"12.5"/],
    ['text after the timestamp', 'x 1 1700000000000 extra', 1, /unexpected "extra" after the timestamp/],
    ['an unknown TYPE', '# TYPE x histogramm', 1, /expected counter, gauge, histogram, summary or untyped, found "histogramm"/],
    ['a TYPE without a type', '# TYPE x', 1, /found ""/],
    ['a TYPE without a name', '# TYPE', 1, /needs a metric name/],
    ['a second TYPE', '# TYPE x gauge\n# TYPE x counter', 2, /second TYPE line for x/],
    ['a second HELP', '# HELP x one\n# HELP x two', 2, /second HELP line for x/],
    ['a TYPE after the family’s samples', 'x 1\n# TYPE x gauge', 2, /TYPE line for x comes after its samples/],
    ['a bucket without le', '# TYPE h histogram\nh_bucket{a="1"} 1', 2, /bucket h_bucket\{a="1"\} has no le label/],
    ['a bucket whose le is not a number', '# TYPE h histogram\nh_bucket{le="big"} 1', 2, /le="big" is not a number/],
    ['a bare histogram sample', '# TYPE h histogram\nh 1', 2, /must be named h_bucket, _sum or _count/],
    ['a summary sample without quantile', '# TYPE s summary\ns{a="1"} 1', 2, /has no quantile label/],
  ])('%s', (_name, text, line, message) => {
    const result = parsePrometheusText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.line).toBe(line);
    expect(result.error.message).toMatch(message);
  });

  it('never throws, whatever prefix of a valid exposition it is given', () => {
    for (let end = 0; end <= EXPOSITION.length; end++) {
      expect(() => parsePrometheusText(EXPOSITION.slice(0, end))).not.toThrow();
    }
  });
});
