import type { Provider } from '@cloudplane/sdk';
import { provider as aws } from '@cloudplane/provider-aws';
import { provider as devcloud } from '@cloudplane/provider-devcloud';
import { provider as fluidstack } from '@cloudplane/provider-fluidstack';
import { provider as lambda } from '@cloudplane/provider-lambda';
import { provider as launchpad } from '@cloudplane/provider-launchpad';
import { provider as nebius } from '@cloudplane/provider-nebius';
import { provider as shadeform } from '@cloudplane/provider-shadeform';
import { ControlPlaneError } from './errors.js';

/** The adapters this control plane can hold credentials for, by provider id. */
export type ProviderRegistry = ReadonlyMap<string, Provider>;

export function providerRegistry(providers: readonly Provider[]): ProviderRegistry {
  return new Map(providers.map((p) => [p.id, p]));
}

export const BUILT_IN_PROVIDERS: readonly Provider[] = [
  devcloud as Provider,
  lambda as Provider,
  shadeform as Provider,
  fluidstack as Provider,
  launchpad as Provider,
  aws as Provider,
  nebius as Provider,
];

export function requireProvider(registry: ProviderRegistry, id: string): Provider {
  const provider = registry.get(id);
  if (!provider) {
    throw new ControlPlaneError(
      400,
      'provider/unknown',
      `unknown provider "${id}"; this control plane knows: ${[...registry.keys()].join(', ')}`,
    );
  }
  return provider;
}
