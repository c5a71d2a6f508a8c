import { defineProvider, type Provider } from '@cloudplane/sdk';
import { FluidstackClient } from './client.js';
import { FluidstackCredentialSchema, type FluidstackCredential } from './credential.js';
import { DEFAULT_RETRY, type RetryPolicy } from './http.js';

export {
  FluidstackCredentialSchema,
  FluidstackPriceListSchema,
  FLUIDSTACK_DEFAULT_BASE_URL,
  regionBaseUrl,
  type FluidstackCredential,
  type FluidstackPriceList,
} from './credential.js';
export { FluidstackClient } from './client.js';
export { DEFAULT_RETRY, type RetryPolicy } from './http.js';
export {
  FLUIDSTACK_ERROR_STATUSES,
  FLUIDSTACK_ERROR_TABLE,
  FLUIDSTACK_WORDING_RULES,
  describeFluidstackError,
  type FluidstackErrorStatus,
  type FluidstackWordingRule,
} from './errors.js';
export {
  FLUIDSTACK_STATES,
  FLUIDSTACK_STATUS_TABLE,
  statusMap,
  type FluidstackState,
} from './status.js';
export {
  TAG_PREFIX,
  REF_ID_TAG,
  CRED_REF_ID_TAG,
  CREATED_AT_TAG,
  TAG_SCHEME,
  instanceName,
} from './tags.js';
export { parseQuantity } from './quantity.js';
export { SSH_USER, SSH_PORT } from './instances.js';

export interface FluidstackProviderOptions {
  /** Retries of failed requests (tests shorten the waits). */
  readonly retry?: Partial<RetryPolicy>;
  /** Per-request timeout. Default 30 s. */
  readonly timeoutMs?: number;
  /** The clock (tests). */
  readonly now?: () => Date;
  /** How long a launch watches a `creating` instance for out-of-stock. Default 30 s. */
  readonly stockCheckMs?: number;
  /** How often it looks meanwhile. Default 3 s. */
  readonly stockPollMs?: number;
}

/**
 * Fluidstack (Atlas): one API host per region and a project header, so the provider is
 * locational. No prices in the API (the operator's price list in the credential gives them), no
 * SSH-key API (the key goes in through cloud-init user data, composed by the SDK), tags carry
 * correlation and the creation time, stop/start is the `stopStart` capability, firewall rules go
 * into the user data. docs/providers/fluidstack.md has the rest.
 */
export function createFluidstackProvider(
  options: FluidstackProviderOptions = {},
): Provider<FluidstackCredential> {
  const clientOptions = {
    retry: { ...DEFAULT_RETRY, ...options.retry },
    timeoutMs: options.timeoutMs ?? 30_000,
    now: options.now ?? (() => new Date()),
    stockCheckMs: options.stockCheckMs ?? 30_000,
    stockPollMs: options.stockPollMs ?? 3_000,
  };
  return defineProvider<FluidstackCredential>({
    id: 'fluidstack',
    displayName: 'Fluidstack',
    credentialSchema: FluidstackCredentialSchema,
    secretFields: ['apiKey'],
    apiType: 'locational',
    firewallAtCreate: 'boot-script',
    // The spec states no rate limits; these stay well inside what a regional host can take.
    pollIntervals: { instanceTypesMs: 60_000, instancesMs: 10_000 },
    maxCreatesPerMinute: 10,
    capabilities: () => ['stopStart'],
    makeClient: (context) => new FluidstackClient(context, clientOptions),
  });
}

export const provider = createFluidstackProvider();

export default provider;
