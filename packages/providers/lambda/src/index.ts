import { defineProvider, type Provider } from '@cloudplane/sdk';
import { LambdaClient } from './client.js';
import { LambdaCredentialSchema, type LambdaCredential } from './credential.js';
import { DEFAULT_RETRY, type RetryPolicy } from './http.js';

export {
  LambdaCredentialSchema,
  LAMBDA_DEFAULT_BASE_URL,
  type LambdaCredential,
} from './credential.js';
export { LambdaClient } from './client.js';
export { DEFAULT_RETRY, type RetryPolicy } from './http.js';
export { LAMBDA_ERROR_CODES, LAMBDA_ERROR_TABLE, type LambdaErrorCode } from './errors.js';
export { LAMBDA_STATUSES, LAMBDA_STATUS_TABLE, statusMap, type LambdaStatus } from './status.js';
export { KNOWN_REGIONS } from './regions.js';
export {
  INSTANCE_NAME_FORMAT,
  KEY_NAME_FORMAT,
  instanceName,
  keyName,
  readInstanceName,
} from './naming.js';
export { SSH_USER, SSH_PORT } from './instances.js';

export interface LambdaProviderOptions {
  /** Retries of failed requests (tests shorten the waits). */
  readonly retry?: Partial<RetryPolicy>;
  /** Per-request timeout. Default 30 s. */
  readonly timeoutMs?: number;
  /** The clock (tests). */
  readonly now?: () => Date;
}

/**
 * Lambda Cloud: one global API, no tags (correlation lives in instance names), no firewall API
 * (rules are refused), restart as the `reboot` capability. docs/providers/lambda.md has the rest.
 */
export function createLambdaProvider(
  options: LambdaProviderOptions = {},
): Provider<LambdaCredential> {
  const clientOptions = {
    retry: { ...DEFAULT_RETRY, ...options.retry },
    timeoutMs: options.timeoutMs ?? 30_000,
    now: options.now ?? (() => new Date()),
  };
  return defineProvider<LambdaCredential>({
    id: 'lambda',
    displayName: 'Lambda Cloud',
    credentialSchema: LambdaCredentialSchema,
    secretFields: ['apiKey'],
    apiType: 'global',
    firewallAtCreate: 'unsupported',
    // Lambda asks API users to stay near one request a second, and launches at one per 12 s.
    pollIntervals: { instanceTypesMs: 60_000, instancesMs: 10_000 },
    maxCreatesPerMinute: 5,
    capabilities: () => ['reboot'],
    makeClient: (context) => new LambdaClient(context, clientOptions),
  });
}

export const provider = createLambdaProvider();

export default provider;
