import { defineProvider, type Provider } from '@cloudplane/sdk';
import { LaunchPadClient } from './client.js';
import { LaunchPadCredentialSchema, type LaunchPadCredential } from './credential.js';
import { DEFAULT_RETRY, type RetryPolicy } from './http.js';

export {
  LaunchPadCredentialSchema,
  OperatorPriceSchema,
  LAUNCHPAD_DEFAULT_BASE_URL,
  type LaunchPadCredential,
  type OperatorPrice,
} from './credential.js';
export { LaunchPadClient } from './client.js';
export { DEFAULT_RETRY, type RetryPolicy } from './http.js';
export {
  LAUNCHPAD_ERROR_TABLE,
  describeLaunchPadError,
  type LaunchPadErrorRule,
} from './errors.js';
export {
  DEPLOYMENT_STATES,
  DEPLOYMENT_STATE_TABLE,
  TASK_STATUSES,
  TASK_STATUS_TABLE,
  statusMap,
  type DeploymentState,
  type TaskStatus,
} from './status.js';
export { TAG_KEYS, typeName, readTags, readCorrelation, callerTags } from './naming.js';
export { mapCatalog, regionsOf, typeNameOf, PROVIDER_ID } from './catalog.js';
export { DEFAULT_SSH_USER, DEFAULT_SSH_PORT } from './instances.js';
export { PAGE_SIZE, MAX_PAGES, allPages } from './pages.js';

export interface LaunchPadProviderOptions {
  /** Retries of failed requests (tests shorten the waits). */
  readonly retry?: Partial<RetryPolicy>;
  /** Per-request timeout. Default 30 s. */
  readonly timeoutMs?: number;
  /** The clock (tests). */
  readonly now?: () => Date;
}

/**
 * NVIDIA LaunchPad: one global API where a deployment (an experience installed on a cluster
 * that meets the request's GPU, cloud and region) is the instance. Correlation lives in its
 * key/value tags, stop and start are deployment tasks, firewall rules and boot scripts are
 * refused. docs/providers/launchpad.md has the rest.
 */
export function createLaunchPadProvider(
  options: LaunchPadProviderOptions = {},
): Provider<LaunchPadCredential> {
  const clientOptions = {
    retry: { ...DEFAULT_RETRY, ...options.retry },
    timeoutMs: options.timeoutMs ?? 30_000,
    now: options.now ?? (() => new Date()),
  };
  return defineProvider<LaunchPadCredential>({
    id: 'launchpad',
    displayName: 'NVIDIA LaunchPad',
    credentialSchema: LaunchPadCredentialSchema,
    secretFields: ['apiToken'],
    apiType: 'global',
    firewallAtCreate: 'unsupported',
    // Deployments are provisioned by pipelines that take many minutes; the catalog moves slowly.
    pollIntervals: { instanceTypesMs: 120_000, instancesMs: 15_000 },
    // LaunchPad publishes no launch rate; each deployment starts a provisioning pipeline.
    maxCreatesPerMinute: 5,
    capabilities: () => ['stopStart', 'tags'],
    makeClient: (context) => new LaunchPadClient(context, clientOptions),
  });
}

export const provider = createLaunchPadProvider();

export default provider;
