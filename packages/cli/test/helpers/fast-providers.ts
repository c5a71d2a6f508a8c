import {
  BUILT_IN_PROVIDERS,
  providerRegistry,
  type ProviderRegistry,
} from '@cloudplane/control-plane';
import { provider as devcloud } from '@cloudplane/provider-devcloud';
import { defineProvider, type Provider } from '@cloudplane/sdk';

/**
 * The built-in providers with devcloud's instances polled every half second (its own choice is
 * 5 s), so CLI tests wait for transitions rather than for the next tick.
 */
export function fastProviders(): ProviderRegistry {
  const fast = defineProvider({
    ...devcloud,
    pollIntervals: { instanceTypesMs: 30_000, instancesMs: 500 },
  });
  return providerRegistry([
    fast as Provider,
    ...BUILT_IN_PROVIDERS.filter((p) => p.id !== 'devcloud'),
  ]);
}
