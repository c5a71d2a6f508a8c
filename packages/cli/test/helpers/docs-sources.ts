import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { makeLogger } from '@cloudplane/control-plane';
import { parse as parseYaml } from 'yaml';
import type { ApiContext } from '../../../control-plane/src/api/context.js';
import { buildApi } from '../../../control-plane/src/api/server.js';
import { routesOfOpenApi, type Route } from './doc-checks.js';

/**
 * Where the docs-drift test gets the real commands and routes, without starting a service.
 */

export const REPO = join(import.meta.dirname, '..', '..', '..', '..');

/** The pages the test reads, relative to the repository: README.md, docs/*.md, docs/providers/*.md. */
export function docPages(): string[] {
  const pages = (dir: string) =>
    readdirSync(join(REPO, dir))
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => `${dir}/${name}`);
  return ['README.md', ...pages('docs'), ...pages('docs/providers')];
}

/**
 * The `cloudplane` program as packages/cli/src/main.ts assembles it. main.ts parses argv as soon
 * as it is imported, so this reads which command factories it imports and adds, and builds the
 * same tree from them: a command added to main.ts is seen here without a change.
 */
export async function cliProgram(): Promise<Command> {
  const mainPath = join(REPO, 'packages', 'cli', 'src', 'main.ts');
  const main = readFileSync(mainPath, 'utf8');
  const modules = new Map<string, string>();
  for (const match of main.matchAll(/import \{ (\w+) \} from '(\.\/commands\/[\w-]+)\.js'/g)) {
    if (match[1] && match[2]) modules.set(match[1], match[2]);
  }
  const program = new Command('cloudplane');
  if (main.includes('.version(')) program.version('0.0.0');
  const added = [...main.matchAll(/\.addCommand\((\w+)\(\)\)/g)].map((m) => m[1] ?? '');
  if (added.length === 0) throw new Error(`found no .addCommand(factory()) in ${mainPath}`);
  for (const factory of added) {
    const module = modules.get(factory);
    if (!module)
      throw new Error(`main.ts adds ${factory}() but does not import it from ./commands`);
    const loaded: unknown = await import(join(REPO, 'packages/cli/src', `${module}.ts`));
    const make: unknown =
      typeof loaded === 'object' && loaded ? Reflect.get(loaded, factory) : null;
    if (typeof make !== 'function') throw new Error(`${module} exports no function ${factory}`);
    const command: unknown = Reflect.apply(make, undefined, []);
    // The commands are built with @commander-js/extra-typings, whose Command is commander's.
    if (!(command instanceof Command)) throw new Error(`${factory}() did not return a Command`);
    program.addCommand(command);
  }
  return program;
}

/**
 * The control plane's routes, from the OpenAPI document its API builds, plus the two routes hidden
 * from that document (/openapi.json and /docs). Building the routes reads nothing
 * from the services (they are used per request), so the context given is one whose every read
 * throws: should a route ever need a service at build time, this fails loudly instead of lying.
 */
export async function controlPlaneRoutes(): Promise<Route[]> {
  const unusable = new Proxy(
    {},
    {
      get(_target, key) {
        throw new Error(`building the API read ctx.${String(key)}; give the test a real context`);
      },
    },
  );
  // The test has no services to give; the Proxy above stands in for all of them.
  const app = await buildApi(unusable as ApiContext, makeLogger({ level: 'silent' }));
  try {
    await app.ready();
    const routes = routesOfOpenApi(app.swagger());
    for (const hidden of ['/openapi.json', '/docs']) {
      if (!app.hasRoute({ method: 'GET', url: hidden })) throw new Error(`no GET ${hidden}`);
      routes.push({ method: 'GET', segments: hidden.split('/').slice(1), enums: new Map() });
    }
    return routes;
  } finally {
    await app.close();
  }
}

/** The devcloud's routes, from its OpenAPI spec (docs/devcloud.md describes that API). */
export function devcloudRoutes(): Route[] {
  const spec: unknown = parseYaml(
    readFileSync(join(REPO, 'packages/devcloud/openapi.yaml'), 'utf8'),
  );
  return routesOfOpenApi(spec);
}
