import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Provider } from '@cloudplane/sdk';
import { z } from 'zod';

/**
 * How the CLI turns `--provider` and `--credential` flags into a Provider and a parsed credential.
 * Every command that talks to a cloud goes through these two functions.
 */

const KNOWN_PROVIDER = /^[a-z][a-z0-9-]*$/;

/** The adapters this repository ships, each loadable by its id (`@cloudplane/provider-<id>`). */
export const BUILT_IN_PROVIDER_IDS = [
  'devcloud',
  'lambda',
  'shadeform',
  'fluidstack',
  'launchpad',
  'aws',
  'nebius',
] as const;

const ProviderModuleSchema = z.looseObject({
  provider: z.looseObject({
    id: z.string(),
    credentialSchema: z.custom<z.ZodType>((v) => v instanceof z.ZodType, 'a zod schema'),
    makeClient: z.custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function'),
    capabilities: z.custom<() => unknown>((v) => typeof v === 'function'),
  }),
});

/**
 * `devcloud` → the workspace package `@cloudplane/provider-devcloud`; a package name or a path to
 * a module (`./my-adapter.ts`) → that module. The module must export `provider`.
 */
export async function loadProvider(spec: string): Promise<Provider> {
  const target = KNOWN_PROVIDER.test(spec)
    ? `@cloudplane/provider-${spec}`
    : spec.startsWith('.') || isAbsolute(spec)
      ? pathToFileURL(resolve(spec)).href
      : spec;
  let loaded: unknown;
  try {
    loaded = await import(target);
  } catch (err) {
    throw new Error(
      `cannot load provider "${spec}" (${target}): ${err instanceof Error ? err.message : String(err)}. ` +
        `Give a known id (${BUILT_IN_PROVIDER_IDS.join(', ')}), a package name, or a path to a module that exports \`provider\`.`,
      { cause: err },
    );
  }
  const parsed = ProviderModuleSchema.safeParse(loaded);
  if (!parsed.success) {
    throw new Error(
      `"${spec}" does not export a provider: expected \`export const provider = defineProvider({...})\` (see docs/contract.md)`,
    );
  }
  return parsed.data.provider as unknown as Provider;
}

/**
 * Reads a credential from a JSON file or `env:NAME` (JSON in an environment variable) and parses
 * it with the provider's schema. Errors name the field and the problem, never a value.
 */
export async function loadCredential(provider: Provider, spec: string): Promise<unknown> {
  const json = await readCredentialJson(spec);
  const parsed = provider.credentialSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new Error(
      `credential ${describe(spec)} is not a valid ${provider.id} credential: ${problems}`,
    );
  }
  return parsed.data;
}

/** The credential JSON from a file or `env:NAME`, not yet checked against any schema. */
export async function readCredentialJson(spec: string): Promise<unknown> {
  const text = spec.startsWith('env:') ? readEnv(spec.slice(4)) : await readCredentialFile(spec);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Error(`credential ${describe(spec)} is not valid JSON`);
  }
}

function describe(spec: string): string {
  return spec.startsWith('env:') ? `in $${spec.slice(4)}` : `file ${spec}`;
}

function readEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`environment variable ${name} is not set; export it with the credential JSON`);
  }
  return value;
}

async function readCredentialFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? `credential file ${path} does not exist`
        : `cannot read credential file ${path} (${code ?? 'error'})`,
      { cause: err },
    );
  }
}
