/**
 * Just enough templating for the report: interpolated values are escaped unless they are
 * already `SafeHtml`, so a scenario description or a lab's log line cannot inject markup.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlPart = SafeHtml | string | number | null | undefined | false | readonly HtmlPart[];

export function html(strings: TemplateStringsArray, ...values: HtmlPart[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += renderPart(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Markup we produced ourselves (an SVG, a bundled script). */
export function raw(text: string): SafeHtml {
  return new SafeHtml(text);
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON for an inline `<script type="application/json">`: nothing in it can close the tag. */
export function inlineJson(data: unknown): SafeHtml {
  return new SafeHtml(
    JSON.stringify(data)
      .replace(/</g, '\\u003c')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029'),
  );
}

/** Script text inlined into `<script>`; a literal `</script` inside would end the element early. */
export function inlineScript(source: string): SafeHtml {
  return new SafeHtml(source.replace(/<\/script/gi, '<\\/script'));
}

/** A file path that may wrap after its slashes, never inside a name. */
export function breakablePath(path: string): SafeHtml {
  return new SafeHtml(`<code class="path">${escapeHtml(path).replace(/\//g, '/<wbr>')}</code>`);
}

/** An id usable in HTML and URLs from a scenario name. */
export function anchorId(prefix: string, name: string): string {
  return `${prefix}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function renderPart(part: HtmlPart): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof SafeHtml) return part.value;
  if (Array.isArray(part)) return (part as readonly HtmlPart[]).map(renderPart).join('');
  return escapeHtml(String(part));
}
