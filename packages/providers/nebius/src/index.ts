import { defineProvider, type Provider } from '@cloudplane/sdk';
import { DEFAULT_RETRY, type RetryPolicy } from '@cloudplane/provider-kit';
import { NebiusClient } from './client.js';
import { NebiusCredentialSchema, type NebiusCredential } from './credential.js';

export {
  NebiusCredentialSchema,
  PriceListSchema,
  ServiceAccountKeySchema,
  NEBIUS_ENDPOINTS,
  type NebiusCredential,
  type NebiusEndpoint,
  type PriceList,
  type ServiceAccountKey,
} from './credential.js';
export { NebiusClient, type NebiusClientOptions } from './client.js';
export { IamTokenSource, TOKEN_EXCHANGE, JWT_LIFETIME_S } from './auth.js';
export {
  GRPC_CODE_TABLE,
  SERVICE_ERROR_TABLE,
  cloudErrorFromStatus,
  type GrpcCodeName,
} from './errors.js';
export { NEBIUS_STATUS_TABLE, statusMap, type NebiusInstanceState } from './status.js';
export { PROVIDER_ID, typeName, splitTypeName } from './catalog.js';
export { LABELS, SSH_USER, SSH_PORT } from './instances.js';
export { DEFAULT_IMAGE_FAMILY, DEFAULT_BOOT_DISK_GIB, MAX_USER_DATA_CHARS } from './launch.js';
export { KNOWN_REGIONS } from './regions.js';
export { nebiusApi, nebiusPackageDefinition, LOADER_OPTIONS } from './proto.js';

export interface NebiusProviderOptions {
  /** Retries of failed calls (tests shorten the waits). */
  readonly retry?: Partial<RetryPolicy>;
  /** Deadline of one call. Default 30 s. */
  readonly timeoutMs?: number;
  /** How often a running operation is read again. Default 2 s. */
  readonly operationPollMs?: number;
  /** How long createInstance waits for Nebius to finish creating. Default 5 min. */
  readonly createWaitMs?: number;
  /** The clock of the IAM token cache (tests). */
  readonly now?: () => number;
}

/**
 * Nebius AI Cloud over gRPC: one project per credential (a project lives in one region, and the
 * API hosts are global), stop/start, correlation in metadata labels, SSH key and firewall through
 * cloud-init. docs/providers/nebius.md has the rest.
 */
export function createNebiusProvider(
  options: NebiusProviderOptions = {},
): Provider<NebiusCredential> {
  const clientOptions = {
    retry: { ...DEFAULT_RETRY, ...options.retry },
    timeoutMs: options.timeoutMs ?? 30_000,
    operationPollMs: options.operationPollMs ?? 2_000,
    createWaitMs: options.createWaitMs ?? 5 * 60_000,
    ...(options.now ? { now: options.now } : {}),
  };
  return defineProvider<NebiusCredential>({
    id: 'nebius',
    displayName: 'Nebius AI Cloud',
    credentialSchema: NebiusCredentialSchema,
    secretFields: ['serviceAccount'],
    apiType: 'global',
    firewallAtCreate: 'boot-script',
    capabilities: () => ['stopStart'],
    makeClient: (context) => new NebiusClient(context, clientOptions),
  });
}

export const provider = createNebiusProvider();

export default provider;
