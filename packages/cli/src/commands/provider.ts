import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from '@commander-js/extra-typings';
import type { LifecycleState } from '@cloudplane/sdk';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * `cloudplane provider new <id>`: a new adapter package that compiles and passes its own tests
 * from the first minute: a credential schema, a status table drafted from the spec's enums, a
 * starter catalog, a client whose lifecycle methods are TODOs naming the conformance check they
 * unblock, a spec-checked fake on @cloudplane/provider-testkit, a conformance test with probes,
 * and a docs page stub. docs/provider-new.md walks through what it makes.
 */

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const TEMPLATES = fileURLToPath(new URL('../../templates/provider/', import.meta.url));

export const ProviderIdSchema = z
  .string()
  .max(40, 'at most 40 characters')
  .regex(
    /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/,
    'lowercase letters, digits and single dashes, starting with a letter (such as "fluidstack" or "my-cloud")',
  );

/** The part of an OpenAPI document the scaffold reads; the rest is kept as it is. */
const SchemaNode: z.ZodType<SchemaNodeShape> = z.lazy(() =>
  z.looseObject({
    enum: z.array(z.unknown()).optional(),
    $ref: z.string().optional(),
    properties: z.record(z.string(), SchemaNode).optional(),
  }),
);
interface SchemaNodeShape {
  enum?: unknown[] | undefined;
  $ref?: string | undefined;
  properties?: Record<string, SchemaNodeShape> | undefined;
}

const OpenApiSchema = z.looseObject({
  openapi: z.string({ error: 'not an OpenAPI 3 document (no `openapi` version)' }),
  servers: z.array(z.looseObject({ url: z.string() })).optional(),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.looseObject({ schemas: z.record(z.string(), SchemaNode).optional() }).optional(),
});
type OpenApi = z.infer<typeof OpenApiSchema>;

/** An enum the spec declares: `InstanceState`, or `Instance.status` (a property's own enum). */
interface SpecEnum {
  readonly schema: string;
  readonly property?: string;
  readonly values: readonly string[];
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);
const INSTANCE_WORDS = /instance|machine|server|vm/i;
/** A path about instances: `/instances`, `/instances/{id}/actions/start`, not `/instance-types`. */
const INSTANCE_PATH = /\/(?:instances?|machines?|servers?|vms?)(?:\/|$)/i;

/** Words that say which lifecycle state a status is, checked in this order. */
const LIFECYCLE_WORDS: readonly (readonly [RegExp, LifecycleState])[] = [
  [/terminated|deleted|destroyed|removed/i, 'terminated'],
  [/terminating|deleting|destroying|removing/i, 'terminating'],
  [/stopping|shutting/i, 'stopping'],
  [/stopped|shutoff|off$|halted|inactive/i, 'stopped'],
  [/suspending|hibernating/i, 'suspending'],
  [/suspended|hibernated|paused/i, 'suspended'],
  [/error|fail|unhealthy|crash|stock/i, 'failed'],
  [/running|active|ready|online|up$/i, 'running'],
];

function guessLifecycle(native: string): LifecycleState {
  return LIFECYCLE_WORDS.find(([words]) => words.test(native))?.[1] ?? 'pending';
}

/** Every string enum of the spec's component schemas and of their properties. */
function specEnums(spec: OpenApi): SpecEnum[] {
  const found: SpecEnum[] = [];
  const strings = (values: unknown[] | undefined) =>
    (values ?? []).filter((v): v is string => typeof v === 'string');
  for (const [schema, node] of Object.entries(spec.components?.schemas ?? {})) {
    const values = strings(node.enum);
    if (values.length > 0) found.push({ schema, values });
    for (const [property, child] of Object.entries(node.properties ?? {})) {
      const own = strings(child.enum);
      if (own.length > 0) found.push({ schema, property, values: own });
    }
  }
  return found;
}

/**
 * The enum most like an instance status: named status or state, about an instance, with values
 * that read as lifecycle words. Undefined when no enum is named status or state.
 */
function instanceStatusEnum(enums: readonly SpecEnum[]): SpecEnum | undefined {
  const score = (e: SpecEnum) => {
    const name = `${e.schema}.${e.property ?? ''}`;
    if (!/status|state/i.test(name)) return -1;
    const lifecycleLike = e.values.filter((v) => guessLifecycle(v) !== 'pending').length;
    return (INSTANCE_WORDS.test(e.schema) ? 10 : 0) + lifecycleLike;
  };
  const ranked = enums.filter((e) => score(e) >= 0).sort((a, b) => score(b) - score(a));
  return ranked[0];
}

/** `GET /instances`-style routes of the spec about instances. */
function instanceRoutes(spec: OpenApi): string[] {
  return Object.entries(spec.paths)
    .filter(([path]) => INSTANCE_PATH.test(path))
    .flatMap(([path, operations]) =>
      Object.keys(operations)
        .filter((m) => HTTP_METHODS.has(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
}

/** The route that lists instances: a GET on an instance collection (no path parameter). */
function listRoute(routes: readonly string[]): string {
  return (
    routes.find((r) => /^GET \/[^{}]*(instances|machines|servers|vms)$/i.test(r)) ??
    'GET /instances'
  );
}

/** The production URL (when the spec's first server is a plain URL) and the API's base path. */
function server(spec: OpenApi): { url?: string; basePath: string } {
  const raw = spec.servers?.[0]?.url ?? '';
  const plain = z.url({ protocol: /^https?$/ }).safeParse(raw);
  const hasPlaceholder = /[{<][^}>]*[}>]/.test(raw);
  let basePath = '';
  try {
    const filled = raw.replace(/[{<][^}>]*[}>]/g, 'x');
    basePath = new URL(filled, 'https://x').pathname.replace(/\/$/, '');
  } catch {
    basePath = '';
  }
  return plain.success && !hasPlaceholder ? { url: raw, basePath } : { basePath };
}

const pascal = (id: string) =>
  id
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');

/** A key as TypeScript writes it: bare when it is an identifier. */
const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`);

function statusSource(
  ids: Names,
  found: SpecEnum | undefined,
  others: readonly SpecEnum[],
): string {
  const where = found ? `\`${found.schema}${found.property ? `.${found.property}` : ''}\`` : '';
  const values = found?.values ?? [];
  const rows = values.map((v) => `  ${key(v)}: '${guessLifecycle(v)}',`).join('\n');
  const doc = found
    ? [
        `/**`,
        ` * The instance status enum, copied from the spec's ${where} (test/status.test.ts keeps`,
        ` * the two equal). TODO(status): each row below is guessed from the status's wording; check`,
        ` * it against ${ids.display}'s documentation (docs/provider-new.md#status).`,
        ` */`,
      ]
    : [
        `/**`,
        ` * TODO(status): the spec has no enum that reads as an instance status. Copy the status`,
        ` * values here from ${ids.display}'s documentation and map each in the table`,
        ` * (docs/provider-new.md#status). The spec's enums: ${others.map((e) => `${e.schema}${e.property ? `.${e.property}` : ''}`).join(', ') || 'none'}.`,
        ` */`,
      ];
  return [
    `import { defineStatusMap, type LifecycleState } from '@cloudplane/sdk';`,
    '',
    ...doc,
    `export const ${ids.constant}_STATUSES = [${values.map((v) => `'${v}'`).join(', ')}] as const;`,
    `export type ${ids.name}Status = (typeof ${ids.constant}_STATUSES)[number];`,
    '',
    `export const ${ids.constant}_STATUS_TABLE: Readonly<Record<${ids.name}Status, LifecycleState>> = {`,
    ...(rows ? [rows] : []),
    `};`,
    '',
    `/** Unknown statuses count as pending: not usable yet and not final, so nothing is torn down. */`,
    `export const statusMap = defineStatusMap(${ids.constant}_STATUS_TABLE, {`,
    `  fallback: 'pending',`,
    `  provider: '${ids.id}',`,
    `});`,
    '',
  ].join('\n');
}

function statusTestSource(ids: Names, found: SpecEnum | undefined): string {
  const enumArgs = found
    ? `'${found.schema}'${found.property ? `, '${found.property}'` : ''}`
    : undefined;
  return [
    `import { describe, it } from 'node:test';`,
    `import {`,
    `  assertStatusTableMatchesSpec,`,
    `  assertUnknownStatusLoggedOnce,`,
    ...(enumArgs ? [`  specEnum,`] : []),
    `} from '@cloudplane/provider-testkit';`,
    `import { ${ids.constant}_STATUSES, statusMap } from '../src/index.js';`,
    ...(enumArgs ? [`import { spec } from './fake/spec.js';`] : []),
    '',
    `describe('status table', () => {`,
    enumArgs
      ? `  it('names exactly the statuses of the spec', () => {\n    assertStatusTableMatchesSpec(statusMap, specEnum(spec, ${enumArgs}), ${ids.constant}_STATUSES);\n  });`
      : `  it('names exactly the statuses of the spec', { todo: 'TODO(status): name the spec enum in src/status.ts' }, () => {\n    assertStatusTableMatchesSpec(statusMap, [], ${ids.constant}_STATUSES);\n  });`,
    '',
    `  it('maps an unknown status to pending and logs it once', () => {`,
    `    assertUnknownStatusLoggedOnce(statusMap, 'pending', 'not-a-${ids.id}-status');`,
    `  });`,
    `});`,
    '',
  ].join('\n');
}

const GENERATED_TEST = `import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { regenerateClientTypes } from '@cloudplane/spec-fake';

describe('the generated client types', () => {
  it('are what \`npm run generate\` makes from the spec today (no drift)', () => {
    const { fresh, committed } = regenerateClientTypes(fileURLToPath(new URL('..', import.meta.url)));
    assert.equal(fresh, committed, 'src/generated/api.ts is stale: run \`npm run generate\`');
  });
});
`;

interface Names {
  readonly id: string;
  /** PascalCase, for types and classes. */
  readonly name: string;
  /** UPPER_CASE, for constants. */
  readonly constant: string;
  readonly camel: string;
  readonly display: string;
}

function namesOf(id: string): Names {
  const name = pascal(id);
  return {
    id,
    name,
    constant: id.toUpperCase().replace(/-/g, '_'),
    camel: name.charAt(0).toLowerCase() + name.slice(1),
    display: id
      .split('-')
      .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
      .join(' '),
  };
}

/** Every template file below `dir`, as paths relative to TEMPLATES. */
function templateFiles(dir = TEMPLATES): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? templateFiles(path) : [relative(TEMPLATES, path)];
  });
}

function fill(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/__([A-Z_]+?)__/g, (whole, name: string) => values[name] ?? whole);
}

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

const Flags = z.object({
  id: ProviderIdSchema,
  spec: z.string().min(1).optional(),
  dir: z.string().min(1).optional(),
  docsDir: z.string().min(1).optional(),
});

export interface Scaffolded {
  readonly dir: string;
  readonly docsPage: string;
  readonly statusEnum: string | undefined;
  readonly files: readonly string[];
}

/** Reads and checks the spec; a readable message when it is not an OpenAPI document. */
function readSpec(path: string): { text: string; spec: OpenApi } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`cannot read the spec ${path}`);
  }
  const parsed = OpenApiSchema.safeParse(parseYaml(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${path} is not an OpenAPI 3 document: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`,
    );
  }
  return { text, spec: parsed.data };
}

export function scaffoldProvider(input: z.input<typeof Flags>): Scaffolded {
  const flags = Flags.parse(input);
  const ids = namesOf(flags.id);
  const dir = resolve(flags.dir ?? join(REPO, 'packages', 'providers', ids.id));
  const docsPage = join(resolve(flags.docsDir ?? join(REPO, 'docs', 'providers')), `${ids.id}.md`);
  if (existsSync(dir)) throw new Error(`${dir} exists: choose another id or --dir`);
  if (existsSync(docsPage)) throw new Error(`${docsPage} exists: choose another id or --docs-dir`);

  const starter = fill(readFileSync(join(TEMPLATES, 'starter-openapi.yaml.tmpl'), 'utf8'), {
    ID: ids.id,
    DISPLAY: ids.display,
  });
  const { text: specText, spec } = flags.spec
    ? readSpec(resolve(flags.spec))
    : { text: starter, spec: OpenApiSchema.parse(parseYaml(starter)) };
  const enums = specEnums(spec);
  const status = instanceStatusEnum(enums);
  const routes = instanceRoutes(spec);
  const { url, basePath } = server(spec);
  const repoFromDir = relative(dir, REPO) || '.';

  const values: Record<string, string> = {
    ID: ids.id,
    NAME: ids.name,
    CONST: ids.constant,
    CAMEL: ids.camel,
    DISPLAY: ids.display,
    REPO: repoFromDir,
    BASE_PATH: basePath,
    LIST_ROUTE: listRoute(routes),
    ROUTE_HINTS: (routes.length > 0 ? routes : ['(none found: look for the instance operations)'])
      .map((r) => ` *   ${r}`)
      .join('\n'),
    DEFAULT_URL_DECL: url
      ? `/** The production endpoint, from the spec's \`servers\` list. */\nexport const ${ids.constant}_DEFAULT_BASE_URL = '${url}';\n`
      : `// The spec's server URL (${spec.servers?.[0]?.url ?? 'none'}) is not one fixed address, so\n// operators give baseUrl. TODO(credential): build it from a region field instead, if that fits.\n`,
    BASE_URL_OPTIONAL: url ? '.optional()' : '',
    BASE_URL_EXPR: url
      ? `context.credential.baseUrl ?? ${ids.constant}_DEFAULT_BASE_URL`
      : 'context.credential.baseUrl',
    CLIENT_CREDENTIAL_IMPORT: url
      ? `import { ${ids.constant}_DEFAULT_BASE_URL, type ${ids.name}Credential } from './credential.js';`
      : `import type { ${ids.name}Credential } from './credential.js';`,
    BASE_URL_REQUIRED: url ? 'no' : 'yes',
    BASE_URL_NOTE: url
      ? `default \`${url}\``
      : `the spec names no fixed one (\`${spec.servers?.[0]?.url ?? 'none'}\`)`,
    DOCS_LINK: relative(dir, docsPage),
    STATUS_ROWS: status
      ? [
          '| native | lifecycle |',
          '| --- | --- |',
          ...status.values.map((v) => `| \`${v}\` | \`${guessLifecycle(v)}\` (TODO: check) |`),
        ].join('\n')
      : 'TODO: the spec names no instance status enum.',
  };

  const written: string[] = [];
  const put = (path: string, text: string) => {
    write(path, text);
    written.push(path);
  };
  for (const file of templateFiles()) {
    if (file === 'starter-openapi.yaml.tmpl' || file === 'provider-doc.md.tmpl') continue;
    put(
      join(dir, file.replace(/\.tmpl$/, '')),
      fill(readFileSync(join(TEMPLATES, file), 'utf8'), values),
    );
  }
  put(join(dir, 'openapi.yaml'), specText);
  put(join(dir, 'src', 'status.ts'), statusSource(ids, status, enums));
  put(join(dir, 'test', 'status.test.ts'), statusTestSource(ids, status));
  put(join(dir, 'test', 'generated.test.ts'), GENERATED_TEST);
  put(docsPage, fill(readFileSync(join(TEMPLATES, 'provider-doc.md.tmpl'), 'utf8'), values));
  generateClientTypes(dir);
  written.push(join(dir, 'src', 'generated', 'api.ts'));
  format(written.filter((f) => !f.includes(join('src', 'generated'))));
  return {
    dir,
    docsPage,
    statusEnum: status && `${status.schema}${status.property ? `.${status.property}` : ''}`,
    files: written,
  };
}

/** src/generated/api.ts from openapi.yaml, with the package's own `npm run generate` command. */
function generateClientTypes(dir: string): void {
  const cli = join(REPO, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
  const run = spawnSync(process.execPath, [cli, 'openapi.yaml', '-o', 'src/generated/api.ts'], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`openapi-typescript failed on the spec: ${run.stderr}`);
}

/** Formats what was written with the repository's prettier, so it reads like the rest. */
function format(files: readonly string[]): void {
  const prettier = join(REPO, 'node_modules', 'prettier', 'bin', 'prettier.cjs');
  if (!existsSync(prettier)) return;
  spawnSync(process.execPath, [prettier, '--write', '--log-level', 'warn', ...files], {
    cwd: REPO,
    encoding: 'utf8',
  });
}

function nextSteps(made: Scaffolded): string {
  const dir = relative(process.cwd(), made.dir) || '.';
  return [
    `made ${dir} (${made.files.length} files) and ${relative(process.cwd(), made.docsPage)}`,
    made.statusEnum
      ? `status table drafted from the spec's ${made.statusEnum}: check each row (TODO(status))`
      : 'no instance status enum found in the spec: see TODO(status) in src/status.ts',
    '',
    'next:',
    '  npm install                      (at the repository root: links the new workspace)',
    `  cd ${dir} && npm test            (catalog checks pass; lifecycle checks list their TODOs)`,
    `  npm run fake                     (in ${dir}: prints the cloudplane conformance command)`,
    `  grep -rn "TODO(" ${dir}          (the work left, in the order of docs/provider-new.md)`,
    '',
    `register it when it passes: see "Register the adapter" in ${join(dir, 'README.md')}`,
    '',
  ].join('\n');
}

export function providerCommand(): Command {
  const command = new Command('provider').description('create and develop provider adapters');
  command
    .command('new')
    .description('create a provider adapter package that compiles and passes its own tests')
    .argument('<id>', 'the provider id: lowercase letters, digits and dashes')
    .option(
      '--spec <openapi.yaml>',
      "the cloud's OpenAPI spec: copied, and client types generated from it",
    )
    .option('--dir <path>', 'where to create the package (default packages/providers/<id>)')
    .option('--docs-dir <path>', 'where the docs page stub goes (default docs/providers)')
    .action((id, options, self) => {
      const given = Flags.safeParse({ id, ...options });
      if (!given.success) {
        const issue = given.error.issues[0];
        return self.error(`${issue?.path.join('.') || 'id'}: ${issue?.message ?? 'invalid'}`);
      }
      try {
        process.stdout.write(nextSteps(scaffoldProvider(given.data)));
      } catch (err) {
        return self.error(err instanceof Error ? err.message : String(err));
      }
    });
  return command;
}
