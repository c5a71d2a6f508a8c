import { z } from 'zod';
import { isCodeShaped, type Reference } from './doc-references.js';
import type { SourceNames } from './source-names.js';

/**
 * Whether a reference found in the docs exists: the parts of the docs-drift test that judge.
 * Everything here is pure; docs-drift.test.ts gathers the real names, commands and routes.
 */

/** A CLI command as commander builds it (only what the check reads). */
export interface CliCommand {
  name(): string;
  aliases(): string[];
  readonly commands: readonly CliCommand[];
  readonly options: readonly {
    readonly long?: string | undefined;
    readonly short?: string | undefined;
    readonly required: boolean;
    readonly optional: boolean;
  }[];
  readonly registeredArguments: readonly unknown[];
}

/** One route of an API: its method, its path template segments, and enums of its parameters. */
export interface Route {
  readonly method: string;
  readonly segments: readonly string[];
  readonly enums: ReadonlyMap<string, readonly string[]>;
}

export interface Known {
  readonly names: SourceNames;
  /** ECMAScript and DOM names (see platformNames). */
  readonly platform: ReadonlySet<string>;
  /**
   * True on a page about clouds' own formats (a provider page, GPU normalization): its names are
   * mostly the clouds' own, found in a cloud's spec, fake or adapter (`words`), not in our src.
   */
  readonly cloudPage: boolean;
  /** Conformance check ids, and their groups (the first word of an id). */
  readonly checkIds: ReadonlySet<string>;
  readonly checkGroups: ReadonlySet<string>;
  readonly cli: CliCommand;
  readonly routes: readonly Route[];
}

/** Why a reference does not exist, or null when it does. */
export function problemOf(ref: Reference, known: Known): string | null {
  switch (ref.kind) {
    case 'symbol':
      return symbolProblem(ref.chain, ref.call, known);
    case 'flag':
      return allFlags(known.cli).has(ref.flag) ? null : `no cloudplane command has ${ref.flag}`;
    case 'cli':
      return cliProblem(ref.args, known.cli);
    case 'http':
      return httpProblem(ref.method, ref.path, known.routes);
  }
}

const FILE_EXTENSION = /^(?:ts|tsx|mts|js|mjs|json|jsonl|md|yaml|yml|html|css|lock|key|proto)$/;

/**
 * How a symbol is judged:
 * - a call (`foo()`, `a.b()`) must be callable from outside: a package's export, or a method or
 *   field of a declared type;
 * - a dotted name whose head is one of our exports (`Instance.tags`) must name a declared member
 *   (or a column: `credentials.instances_sync_error`); one whose head is a check group
 *   (`lifecycle.create`) must be a check id;
 * - any other code-shaped name must be a word of our source (a private constant, an error code,
 *   an env var, a field our code reads off a cloud's answer, a cloud field a comment names) or a
 *   platform name (`AbortSignal.timeout`).
 * On a cloud's page, a PascalCase call (`RunInstances(...)`) and any other name may instead be a
 * word of the cloud's spec, fake or adapter.
 */
function symbolProblem(chain: readonly string[], call: boolean, known: Known): string | null {
  const text = chain.join('.');
  if (!call && chain.length > 1 && FILE_EXTENSION.test(chain.at(-1) ?? '')) return null;
  const { exports, members, strings, srcWords, words } = known.names;
  const declared = (name: string) => exports.has(name) || members.has(name);
  const [head = '', ...tail] = chain;
  if (tail.length > 0 && known.checkGroups.has(head) && !call) {
    return known.checkIds.has(text) ? null : `${text} is not a conformance check id`;
  }
  if ((call && !(known.cloudPage && /^[A-Z]/.test(head))) || exports.has(head)) {
    const unknown = chain.filter(
      (part, i) => !declared(part) && (call || i === 0 || !strings.has(part)),
    );
    if (unknown.length === 0) return null;
    return call
      ? `${unknown.join(', ')} in ${text}() is not an export nor a declared method or field`
      : `${unknown.join(', ')} in ${text} is not a declared member`;
  }
  if (strings.has(text)) return null;
  if (!chain.some(isCodeShaped)) return null; // `g6e.xlarge`: a cloud's name, not code
  const exists = (part: string) =>
    srcWords.has(part) || known.platform.has(part) || (known.cloudPage && words.has(part));
  const unknown = chain.filter((part) => !exists(part));
  if (unknown.length === 0) return null;
  const what = chain.length === 1 ? text : `${unknown.join(', ')} in ${text}`;
  return `${what} is not in our source${known.cloudPage ? " nor in a cloud's spec or fake" : ''}`;
}

function allFlags(root: CliCommand): Set<string> {
  const flags = new Set(['--help', '--version']);
  const visit = (command: CliCommand): void => {
    for (const option of command.options) if (option.long) flags.add(option.long);
    command.commands.forEach(visit);
  };
  visit(root);
  return flags;
}

function findOption(path: readonly CliCommand[], flag: string) {
  return path
    .flatMap((command) => command.options)
    .find((option) => option.long === flag || option.short === flag);
}

/** Walks `cloudplane ARGS` through the real command tree, flag by flag. */
function cliProblem(args: readonly string[], root: CliCommand): string | null {
  const path: CliCommand[] = [root];
  let positional = false;
  for (let i = 0; i < args.length; i++) {
    // `[--port 7070]` is an optional part of a usage line: its flag is checked like any other.
    const word = (args[i] ?? '').replace(/^\[/, '').replace(/\]$/, '');
    if (/[<>]|\.\.\./.test(word)) return null; // a placeholder or a redirect: nothing more
    const command = path.at(-1) ?? root;
    const name = path.map((c) => c.name()).join(' ');
    if (word === '--') return null;
    if (word.startsWith('-')) {
      const flag = word.replace(/=.*$/, '');
      if (flag === '--help' || flag === '-h') continue;
      if (flag === '--version' && path.length === 1) continue;
      const option = findOption(path, flag);
      if (!option) return `\`${name}\` has no option ${flag}`;
      if ((option.required || option.optional) && !word.includes('=')) i++; // its value
      continue;
    }
    const sub = positional
      ? undefined
      : command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub) {
      path.push(sub);
      continue;
    }
    if (command.commands.length > 0 && !positional && command.registeredArguments.length === 0) {
      return `\`${name}\` has no command ${word}`;
    }
    positional = true;
  }
  return null;
}

/** A doc's path segment: a literal, or a placeholder with the values it names, if any. */
function docSegment(segment: string): { literal: string } | { values: string[] | null } {
  const alternatives = /^\{([\w-]+(?:,[\w-]+)+)\}$|^([\w-]+(?:\|[\w-]+)+)$/.exec(segment);
  if (alternatives) return { values: (alternatives[1] ?? alternatives[2] ?? '').split(/[,|]/) };
  if (/^(?::\w+|\{\w+\}|<[^>]*>|\$\{?\w+\}?)$/.test(segment)) return { values: null };
  return { literal: segment };
}

function segmentMatches(doc: string, route: string, enums: Route['enums']): boolean {
  const parameter = /^\{(\w+)\}$/.exec(route)?.[1];
  const parsed = docSegment(doc);
  if (!parameter) return 'literal' in parsed && parsed.literal === route;
  const allowed = enums.get(parameter);
  if ('literal' in parsed) return !allowed || allowed.includes(parsed.literal);
  return !allowed || !parsed.values || parsed.values.every((v) => allowed.includes(v));
}

/** The path of a doc's `METHOD /path?query`, without its query and trailing punctuation. */
export function docPath(path: string): string[] {
  const bare = path.replace(/[?#[].*$/, '').replace(/[.,;:]+$/, '');
  return bare.split('/').filter((s, i) => i > 0 && (s !== '' || i === 1));
}

function httpProblem(method: string | null, path: string, routes: readonly Route[]): string | null {
  const segments = docPath(path);
  // A path under none of this API's first segments belongs to another API (a cloud's, in prose).
  if (!routes.some((route) => route.segments[0] === segments[0])) return null;
  const matching = routes.filter(
    (route) =>
      route.segments.length === segments.length &&
      route.segments.every((s, i) => segmentMatches(segments[i] ?? '', s, route.enums)),
  );
  if (matching.length === 0) return `no route ${path}`;
  if (method && !matching.some((route) => route.method === method)) {
    return `no route ${method} ${path} (it answers ${matching.map((r) => r.method).join(', ')})`;
  }
  return null;
}

const OPERATIONS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/** The part of an OpenAPI document the check reads: paths, methods, path parameters' enums. */
const OpenApiPaths = z.object({
  paths: z.record(
    z.string(),
    z.record(
      z.string(),
      z.unknown().transform((operation) => {
        const parsed = z
          .object({
            parameters: z
              .array(
                z.object({
                  name: z.string(),
                  schema: z.object({ enum: z.array(z.unknown()).optional() }).optional(),
                }),
              )
              .optional(),
          })
          .safeParse(operation);
        return parsed.success ? (parsed.data.parameters ?? []) : [];
      }),
    ),
  ),
});

/** The routes of an OpenAPI document, with the enums of their path parameters. */
export function routesOfOpenApi(document: unknown): Route[] {
  const routes: Route[] = [];
  for (const [template, operations] of Object.entries(OpenApiPaths.parse(document).paths)) {
    for (const [method, parameters] of Object.entries(operations)) {
      if (!OPERATIONS.has(method)) continue;
      const enums = new Map<string, readonly string[]>();
      for (const p of parameters) if (p.schema?.enum) enums.set(p.name, p.schema.enum.map(String));
      routes.push({ method: method.toUpperCase(), segments: docPath(template), enums });
    }
  }
  return routes;
}
