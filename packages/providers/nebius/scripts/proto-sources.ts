import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENTRY_FILES } from '../src/proto-files.js';

/**
 * Which of Nebius's .proto files the adapter uses, and how they are made loadable.
 *
 * The upstream files (proto/, MIT, copied from nebius/api) import buf/validate/validate.proto and
 * annotate fields with `(buf.validate.field) = {...}` rules. That file is not on npm as source
 * (@bufbuild/protovalidate ships only its compiled descriptor), and protobufjs, which
 * @grpc/proto-loader parses with, cannot read some of those rules anyway (list-valued aggregate
 * options such as `cel: [{...}]`). The rules only tell Nebius's server what to refuse; they do not
 * change a single byte on the wire. So `npm run generate` copies the files we need with those
 * options and that import removed (stripValidateOptions), and everything else kept verbatim.
 */

const VALIDATE_IMPORT = 'buf/validate/validate.proto';

/** Every nebius/* file reachable from ENTRY_FILES through imports, sorted. */
export function protoClosure(protoDir: string, entries: readonly string[] = ENTRY_FILES): string[] {
  const seen = new Set<string>();
  const pending = [...entries];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imported of importsOf(readFileSync(join(protoDir, file), 'utf8'))) {
      if (imported.startsWith('nebius/')) pending.push(imported);
    }
  }
  return [...seen].sort();
}

export function importsOf(source: string): string[] {
  return [...source.matchAll(/^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;/gm)].map(
    (m) => m[1] ?? '',
  );
}

/**
 * The source without any `(buf.validate.*)` option: field and enum-value options inside `[...]`
 * lose those entries (the brackets go when nothing is left), `option (buf.validate.*) ...;`
 * statements go, and so does the import. Comments and string literals are never touched.
 */
export function stripValidateOptions(source: string): string {
  const withoutImport = source.replace(
    new RegExp(
      `^[ \\t]*import\\s+"${VALIDATE_IMPORT.replace(/[./]/g, '\\$&')}"\\s*;[ \\t]*\\r?\\n`,
      'm',
    ),
    '',
  );
  const scanner = new Scanner(withoutImport);
  let out = '';
  while (!scanner.done()) {
    const skipped = scanner.skipCommentOrString();
    if (skipped !== undefined) {
      out += skipped;
      continue;
    }
    if (scanner.atWord('option') && scanner.lookingAt(/^option\s*\(buf\.validate\./)) {
      scanner.skipStatement();
      out = out.replace(/[ \t]*$/, '');
      scanner.skipRestOfBlankLine();
      continue;
    }
    if (scanner.peek() === '[') {
      const entries = scanner.readBracketList();
      const kept = entries.filter((e) => !e.trim().startsWith('(buf.validate.'));
      if (kept.length === entries.length) out += `[${entries.join(',')}]`;
      else if (kept.length === 0) out = out.replace(/[ \t]*$/, '');
      else out += `[${kept.map((e) => e.trim()).join(', ')}]`;
      continue;
    }
    out += scanner.next();
  }
  return out;
}

/** A cursor over proto source that knows comments, strings and nesting. */
class Scanner {
  private at = 0;

  constructor(private readonly text: string) {}

  done(): boolean {
    return this.at >= this.text.length;
  }

  peek(): string {
    return this.text[this.at] ?? '';
  }

  next(): string {
    return this.text[this.at++] ?? '';
  }

  lookingAt(pattern: RegExp): boolean {
    return pattern.test(this.text.slice(this.at, this.at + 200));
  }

  /** `word` starts here and is not the tail of a longer identifier. */
  atWord(word: string): boolean {
    const before = this.text[this.at - 1] ?? ' ';
    return this.text.startsWith(word, this.at) && !/[A-Za-z0-9_.]/.test(before);
  }

  /** Consumes a comment or string literal starting here and answers it, or undefined. */
  skipCommentOrString(): string | undefined {
    const start = this.at;
    const two = this.text.slice(this.at, this.at + 2);
    if (two === '//') {
      const end = this.text.indexOf('\n', this.at);
      this.at = end === -1 ? this.text.length : end;
    } else if (two === '/*') {
      const end = this.text.indexOf('*/', this.at + 2);
      this.at = end === -1 ? this.text.length : end + 2;
    } else if (this.peek() === '"' || this.peek() === "'") {
      const quote = this.next();
      while (!this.done()) {
        const ch = this.next();
        if (ch === '\\') this.next();
        else if (ch === quote) break;
      }
    } else {
      return undefined;
    }
    return this.text.slice(start, this.at);
  }

  /** Consumes up to and including the `;` that ends the statement at this nesting level. */
  skipStatement(): void {
    let depth = 0;
    while (!this.done()) {
      if (this.skipCommentOrString() !== undefined) continue;
      const ch = this.next();
      if (ch === '{' || ch === '[' || ch === '(') depth++;
      else if (ch === '}' || ch === ']' || ch === ')') depth--;
      else if (ch === ';' && depth === 0) return;
    }
  }

  /** After a removed statement: drops the rest of its line when only blanks remain. */
  skipRestOfBlankLine(): void {
    const match = /^[ \t]*\r?\n/.exec(this.text.slice(this.at));
    if (match) this.at += match[0].length;
  }

  /** Consumes `[ ... ]` and answers its top-level comma-separated entries, verbatim. */
  readBracketList(): string[] {
    this.next();
    const entries: string[] = [];
    let current = '';
    let depth = 0;
    while (!this.done()) {
      const skipped = this.skipCommentOrString();
      if (skipped !== undefined) {
        current += skipped;
        continue;
      }
      const ch = this.next();
      if (depth === 0 && ch === ']') break;
      if (depth === 0 && ch === ',') {
        entries.push(current);
        current = '';
        continue;
      }
      if (ch === '{' || ch === '[' || ch === '(') depth++;
      else if (ch === '}' || ch === ']' || ch === ')') depth--;
      current += ch;
    }
    entries.push(current);
    return entries;
  }
}
