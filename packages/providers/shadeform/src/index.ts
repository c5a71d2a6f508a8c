import { defineProvider, type Provider } from '@cloudplane/sdk';
import { ShadeformClient } from './client.js';
import { ShadeformCredentialSchema, type ShadeformCredential } from './credential.js';
import { DEFAULT_RETRY, type RetryPolicy } from './http.js';

export {
  ShadeformCredentialSchema,
  SHADEFORM_DEFAULT_BASE_URL,
  type ShadeformCredential,
} from './credential.js';
export { ShadeformClient } from './client.js';
export { DEFAULT_RETRY, type RetryPolicy } from './http.js';
export {
  SHADEFORM_ERROR_TABLE,
  describeShadeformError,
  type ShadeformErrorRule,
} from './errors.js';
export {
  SHADEFORM_STATUSES,
  SHADEFORM_STATUS_TABLE,
  statusMap,
  type ShadeformStatus,
} from './status.js';
export {
  CORRELATION_TAG_FORMAT,
  correlationTag,
  readCorrelation,
  encodeTags,
  decodeTags,
  typeName,
  parseTypeName,
} from './naming.js';
export { DEFAULT_SSH_USER, DEFAULT_SSH_PORT } from './instances.js';

export interface ShadeformProviderOptions {
  /** Retries of failed requests (tests shorten the waits). */
  readonly retry?: Partial<RetryPolicy>;
  /** Per-request timeout. Default 30 s. */
  readonly timeoutMs?: number;
  /** The clock (tests). */
  readonly now?: () => Date;
}

/**
 * Shadeform: a broker over many GPU clouds behind one global API. Correlation lives in its
 * string tags, firewall rules go into the startup script (SDK firewall library), restart is the
 * `reboot` capability and tag updates the `tags` capability. docs/providers/shadeform.md has the
 * rest.
 */
export function createShadeformProvider(
  options: ShadeformProviderOptions = {},
): Provider<ShadeformCredential> {
  const clientOptions = {
    retry: { ...DEFAULT_RETRY, ...options.retry },
    timeoutMs: options.timeoutMs ?? 30_000,
    now: options.now ?? (() => new Date()),
  };
  return defineProvider<ShadeformCredential>({
    id: 'shadeform',
    displayName: 'Shadeform',
    credentialSchema: ShadeformCredentialSchema,
    secretFields: ['apiKey'],
    apiType: 'global',
    firewallAtCreate: 'boot-script',
    // The catalog spans many clouds and moves with their stock; instances boot in minutes.
    pollIntervals: { instanceTypesMs: 60_000, instancesMs: 10_000 },
    maxCreatesPerMinute: 10,
    capabilities: () => ['reboot', 'tags'],
    makeClient: (context) => new ShadeformClient(context, clientOptions),
  });
}

export const provider = createShadeformProvider();

export default provider;
