import PQueue from 'p-queue';
import { InstanceSchema, type CloudClient, type Instance, type Logger } from '@cloudplane/sdk';
import type { CredentialStore, OpenedCredential } from '../credentials/store.js';
import { scrubbingLogger } from '../credentials/scrub.js';
import { ControlPlaneError } from '../errors.js';

/**
 * Provider clients for instance work: one per credential for a global API, one per location
 * for a locational one. Lists span every location and are complete or an error, and every
 * instance a provider hands back is parsed with the contract's schema (outside input).
 */

export interface InstanceClients {
  readonly opened: OpenedCredential;
  /** The client that serves `location` (the one client of a global provider). */
  at(location: string): CloudClient;
  /** Every instance of this credential, across locations. */
  listAll(): Promise<Instance[]>;
  /** The same list as the adapter gave it, not yet parsed (the caller parses every item). */
  listRaw(): Promise<unknown[]>;
  /** Scrubs the credential's secrets from text that came from the provider. */
  readonly scrub: (text: string) => string;
}

export interface ClientOptions {
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  readonly fetch?: typeof fetch;
}

export async function openClients(
  credentials: CredentialStore,
  credentialId: string,
  options: ClientOptions,
): Promise<InstanceClients> {
  return clientsFor(await credentials.open(credentialId), options);
}

/** `openClients`, for a credential the caller has opened already. */
export function clientsFor(opened: OpenedCredential, options: ClientOptions): InstanceClients {
  const made = new Map<string, CloudClient>();
  const at = (location?: string): CloudClient => {
    const key = opened.provider.apiType === 'global' ? '' : (location ?? '');
    let client = made.get(key);
    if (!client) {
      client = opened.provider.makeClient({
        credential: opened.credential,
        cloudCredRefId: opened.id,
        // Adapters log what providers answered, and some answers echo the request's key.
        logger: scrubbingLogger(options.logger, opened.scrub),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(key === '' ? {} : { location: key }),
      });
      made.set(key, client);
    }
    return client;
  };
  const listRaw = async (): Promise<unknown[]> => {
    if (opened.provider.apiType === 'global') return at().listInstances();
    const locations = await at().getLocations();
    const queue = new PQueue({ concurrency: 4 });
    const lists = await Promise.all(
      locations.map((l) => queue.add(() => at(l.name).listInstances())),
    );
    return lists.flat();
  };
  return {
    opened,
    at,
    scrub: (text) => opened.scrub(text),
    listRaw,
    async listAll() {
      return (await listRaw()).map((item) => parseInstance(opened, item));
    },
  };
}

export function parseInstance(opened: OpenedCredential, item: unknown): Instance {
  const parsed = InstanceSchema.safeParse(item);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ControlPlaneError(
      503,
      'provider/invalid-instance',
      `${opened.provider.id} returned an instance that does not match the contract (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'bad shape'})`,
    );
  }
  return withMessageScrubbed(opened, parsed.data);
}

/**
 * The provider's free text about an instance is stored, shown to its owner and written into its
 * events; a cloud that echoes the request it got could put the credential's key in it.
 */
function withMessageScrubbed(opened: OpenedCredential, instance: Instance): Instance {
  const { message } = instance.status;
  if (message === undefined) return instance;
  const scrubbed = opened.scrub(message);
  if (scrubbed === message) return instance;
  return { ...instance, status: { ...instance.status, message: scrubbed } };
}
