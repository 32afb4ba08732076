/**
 * The metric names a PromQL expression selects, as written (`foo_bucket`, recording-rule names
 * like `job:foo:rate1m`). Enough of PromQL's lexer for dashboards and rules: strings, label
 * matchers, `by (...)`-style label lists, ranges, durations, numbers, functions and keywords are
 * skipped; Grafana's `$var`/`${var}`/`[[var]]` placeholders are removed first. Pure.
 */
export function promqlMetricNames(expr: string): string[] {
  let text = expr
    .replace(/\$\{[^}]*\}|\[\[[^\]]*\]\]|\$[A-Za-z_][A-Za-z0-9_]*/g, '0')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ');
  text = text.replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');

  const names = new Set<string>();
  const token = /\s+|(?:\d|\.\d)(?:[eE][+-]?\d|[0-9A-Za-z_.])*|[A-Za-z_:][A-Za-z0-9_:]*|./gy;
  for (const match of text.matchAll(token)) {
    const word = match[0];
    if (!/^[A-Za-z_:]/.test(word) || KEYWORDS.has(word.toLowerCase())) continue;
    const rest = text.slice((match.index ?? 0) + word.length);
    // A name followed by "(" is a function or aggregation: rate(, sum (, histogram_quantile(.
    if (/^\s*\(/.test(rest)) continue;
    names.add(word);
  }
  return [...names].sort();
}

const KEYWORDS: ReadonlySet<string> = new Set([
  'and',
  'atan2',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
]);
