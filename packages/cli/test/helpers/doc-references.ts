/**
 * What a markdown page names that must exist in the code: the parts of the docs-drift test that
 * read markdown. Three kinds of reference, found in inline code spans and in shell code blocks:
 *
 * - `cli`: a `cloudplane ...` command line (also `npx cloudplane ...` and
 *   `npm run cloudplane -- ...`), or a lone `--flag` on a line that names `cloudplane`;
 * - `http`: `GET /v1/...` or a bare `/v1/...` path, and URLs in shell blocks (curl);
 * - `symbol`: an identifier-like span: a call (`fooBar()`, `foo.bar(x)`), a dotted name
 *   (`Instance.tags`), camelCase, PascalCase, SCREAMING_CASE or snake_case words.
 *
 * Plain lowercase words (`pending`, `tags`), file paths and shapes (`{ hourly, currency }`) are
 * not references: they are English, or checked by a person reading the page.
 */

export type Reference =
  | { readonly kind: 'cli'; readonly args: readonly string[] }
  | { readonly kind: 'flag'; readonly flag: string }
  | { readonly kind: 'http'; readonly method: string | null; readonly path: string }
  | { readonly kind: 'symbol'; readonly chain: readonly string[]; readonly call: boolean };

export interface Found {
  readonly line: number;
  readonly text: string;
  readonly ref: Reference;
}

const METHOD = /^(GET|POST|PUT|PATCH|DELETE|HEAD)\s+(\/\S*)/;
/** Where a `cloudplane` invocation starts in a span or a shell line. */
const INVOCATION = /(?:^|[\s;&|(])(?:npx\s+cloudplane|npm run cloudplane\s+--|cloudplane)(?=\s|$)/;
const SHELL_FENCES = new Set(['sh', 'bash', 'shell', 'console']);
const IDENTIFIER_CHAIN = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/** Splits a shell command line into words (quotes kept together), up to a comment or operator. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const match of line.matchAll(/'[^']*'|"[^"]*"|[^\s'"]+(?:'[^']*'|"[^"]*"|[^\s'"]+)*/g)) {
    const word = match[0];
    if (/^(?:\||&&|;|>|2>|#)/.test(word)) break;
    words.push(word);
  }
  return words;
}

/** The words after `cloudplane` when TEXT invokes it, else null. */
export function invocationArgs(text: string): string[] | null {
  const match = INVOCATION.exec(text);
  if (!match) return null;
  return shellWords(text.slice(match.index + match[0].length));
}

/** An inline code span's reference, if it is one. */
export function classifySpan(span: string): Reference | null {
  const text = span.trim();
  const args = invocationArgs(text);
  if (args && /^(?:npx\s+|npm run\s+)?cloudplane\b/.test(text)) return { kind: 'cli', args };
  if (/^--[a-z][\w-]*$/.test(text)) return { kind: 'flag', flag: text };
  const method = METHOD.exec(text);
  if (method?.[1] && method[2]) return { kind: 'http', method: method[1], path: method[2] };
  if (/^\/v1\/./.test(text)) return { kind: 'http', method: null, path: text };
  return classifySymbol(text);
}

/** `foo.bar(x).baz()` becomes the chain foo, bar, baz (a call); anything else is no symbol. */
export function classifySymbol(text: string): Reference | null {
  let stripped = text;
  let call = false;
  while (/\([^()]*\)/.test(stripped)) {
    stripped = stripped.replace(/\([^()]*\)/g, '');
    call = true;
  }
  if (!IDENTIFIER_CHAIN.test(stripped)) return null;
  const chain = stripped.split('.');
  if (call && chain.length === 1 && /^[A-Z0-9]+$/.test(stripped)) return null; // `TODO(spec)`
  if (chain.length === 1 && !call && !isCodeShaped(stripped)) return null;
  return { kind: 'symbol', chain, call };
}

/** camelCase, PascalCase with two humps, SCREAMING_CASE or snake_case: not an English word. */
export function isCodeShaped(word: string): boolean {
  return (
    /^[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*$/.test(word) ||
    /^[A-Z][a-z]+(?:[A-Z][a-z0-9]*)+$/.test(word) ||
    /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(word) ||
    /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/.test(word)
  );
}

/** Joins shell lines continued with a trailing backslash, keeping the first line's number. */
function logicalLines(lines: readonly { line: number; text: string }[]) {
  const out: { line: number; text: string }[] = [];
  let pending: { line: number; text: string } | null = null;
  for (const { line, text } of lines) {
    const joined: { line: number; text: string } = pending
      ? { line: pending.line, text: `${pending.text} ${text}` }
      : { line, text };
    if (/\\\s*$/.test(text))
      pending = { line: joined.line, text: joined.text.replace(/\\\s*$/, '') };
    else {
      out.push(joined);
      pending = null;
    }
  }
  if (pending) out.push(pending);
  return out;
}

/** The references in one line of a shell code block. */
function shellLineReferences(text: string): Reference[] {
  const refs: Reference[] = [];
  const args = invocationArgs(text);
  if (args) refs.push({ kind: 'cli', args });
  if (/\bcurl\b/.test(text)) {
    const method =
      /(?:^|\s)-X\s+([A-Z]+)/.exec(text)?.[1] ?? (/\s-d\s/.test(text) ? 'POST' : 'GET');
    for (const url of text.matchAll(/(?:https?:\/\/[^\s/'"]+|\$\{?\w+\}?)(\/v1[^\s'"]*)/g)) {
      if (url[1]) refs.push({ kind: 'http', method, path: url[1] });
    }
  }
  return refs;
}

/** Every reference in a markdown page, with its line number (1-based). */
export function findReferences(markdown: string): Found[] {
  const found: Found[] = [];
  let fence: { marker: string; shell: boolean; lines: { line: number; text: string }[] } | null =
    null;
  const lines = markdown.split('\n');
  lines.forEach((text, index) => {
    const line = index + 1;
    const fenceMatch = /^\s*(```+|~~~+)\s*([\w-]*)/.exec(text);
    if (fence) {
      if (fenceMatch?.[1]?.startsWith(fence.marker)) {
        if (fence.shell) {
          for (const logical of logicalLines(fence.lines)) {
            const code = logical.text.replace(/(?:^|\s)#.*$/, '');
            for (const ref of shellLineReferences(code)) {
              found.push({ line: logical.line, text: logical.text.trim(), ref });
            }
          }
        }
        fence = null;
      } else fence.lines.push({ line, text });
      return;
    }
    if (fenceMatch?.[1]) {
      fence = { marker: fenceMatch[1], shell: SHELL_FENCES.has(fenceMatch[2] ?? ''), lines: [] };
      return;
    }
    for (const span of text.matchAll(/(`+)(?!`)(.+?)(?<!`)\1(?!`)/g)) {
      const inner = span[2] ?? '';
      const ref = classifySpan(inner);
      // A lone flag is ours only beside a `cloudplane` command (`--dport` is iptables').
      if (ref?.kind === 'flag' && !/\bcloudplane\b/.test(text)) continue;
      if (ref) found.push({ line, text: inner.trim(), ref });
    }
  });
  return found;
}
