import { DEFAULT_RETRY, type RetryPolicy } from '@cloudplane/provider-kit';
import { defineProvider, type Provider } from '@cloudplane/sdk';
import { AWS_SECRET_FIELDS, AwsCredentialSchema, type AwsCredential } from './credential.js';
import { DeferredAwsClient } from './deferred-client.js';

// This entry loads no AWS SDK code (over half a second of CPU): the client loads it on its first
// call (deferred-client.ts). What needs the SDK is imported from its own module.

export {
  AwsCredentialSchema,
  AWS_SECRET_FIELDS,
  type AwsCredential,
  type AwsCredentialInput,
} from './credential.js';
export { DeferredAwsClient } from './deferred-client.js';
export { EC2_ERROR_TABLE, type Ec2ErrorCode } from './errors.js';
export {
  EC2_INSTANCE_STATES,
  EC2_STATUS_TABLE,
  statusMap,
  type Ec2InstanceState,
} from './status.js';
export { TAG_REF_ID, TAG_CRED_ID, TAG_CREATED_AT, TAG_FIREWALL } from './tags.js';

export interface AwsProviderOptions {
  /** Retries of failed requests (tests shorten the waits). */
  readonly retry?: Partial<RetryPolicy>;
  /** Per-request timeout. Default 30 s. */
  readonly timeoutMs?: number;
  /** The clock (tests). */
  readonly now?: () => Date;
}

/**
 * AWS EC2 through the official SDK: one client per region (`locational`), correlation in tags,
 * security groups as the firewall, stop/start, reboot and tags. docs/providers/aws.md has the
 * rest, including why prices come from the credential.
 */
export function createAwsProvider(options: AwsProviderOptions = {}): Provider<AwsCredential> {
  const clientOptions = {
    retry: { ...DEFAULT_RETRY, ...options.retry },
    timeoutMs: options.timeoutMs ?? 30_000,
    now: options.now ?? (() => new Date()),
  };
  return defineProvider<AwsCredential>({
    id: 'aws',
    displayName: 'AWS EC2',
    credentialSchema: AwsCredentialSchema,
    secretFields: [...AWS_SECRET_FIELDS],
    apiType: 'locational',
    firewallAtCreate: 'native',
    // EC2 throttles per account and region with a token bucket; a list every 10 s per region is
    // far below it, and GPU type data changes rarely.
    pollIntervals: { instanceTypesMs: 5 * 60_000, instancesMs: 10_000 },
    // RunInstances' own bucket refills at 2 per second; launches also make a few reads each.
    maxCreatesPerMinute: 20,
    capabilities: () => ['stopStart', 'reboot', 'tags', 'firewall'],
    makeClient: (context) => new DeferredAwsClient(context, clientOptions),
  });
}

export const provider = createAwsProvider();

export default provider;
