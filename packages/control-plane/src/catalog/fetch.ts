import PQueue from 'p-queue';
import {
  InstanceTypeSchema,
  type CloudClient,
  type InstanceType,
  type Logger,
  type Provider,
} from '@cloudplane/sdk';
import { ControlPlaneError } from '../errors.js';

/**
 * Asks a provider for its whole catalog: one call for a global API, one per location for a
 * locational one. Every type is parsed with the SDK's schema (a provider payload is outside
 * input), and the whole fetch fails on the first bad type or duplicate id: a partial catalog
 * would look like types vanishing.
 */

export interface CatalogFetch {
  readonly provider: Provider;
  readonly credential: unknown;
  readonly cloudCredRefId: string;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
  readonly fetch?: typeof fetch;
  /** Locations fetched at once for a locational provider. */
  readonly concurrency?: number;
  /** Only this location's types (the CLI's --location); default every location. */
  readonly location?: string | undefined;
}

export async function fetchCatalog(request: CatalogFetch): Promise<InstanceType[]> {
  const { provider } = request;
  const only = request.location === undefined ? undefined : { locations: [request.location] };
  const raw =
    provider.apiType === 'global'
      ? await clientFor(request).getInstanceTypes(only)
      : request.location !== undefined
        ? await clientFor(request, request.location).getInstanceTypes(only)
        : await fetchPerLocation(request);
  return validate(provider.id, raw);
}

function clientFor(request: CatalogFetch, location?: string): CloudClient {
  return request.provider.makeClient({
    credential: request.credential,
    cloudCredRefId: request.cloudCredRefId,
    logger: request.logger,
    ...(request.signal ? { signal: request.signal } : {}),
    ...(location === undefined ? {} : { location }),
    ...(request.fetch ? { fetch: request.fetch } : {}),
  });
}

async function fetchPerLocation(request: CatalogFetch): Promise<InstanceType[]> {
  const locations = await clientFor(request).getLocations();
  const queue = new PQueue({ concurrency: request.concurrency ?? 4 });
  const perLocation = await Promise.all(
    locations.map((location) =>
      queue.add(() => clientFor(request, location.name).getInstanceTypes()),
    ),
  );
  return perLocation.flat();
}

function validate(providerId: string, raw: readonly unknown[]): InstanceType[] {
  const seen = new Set<string>();
  return raw.map((item, index) => {
    const parsed = InstanceTypeSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw invalid(
        providerId,
        `instance type #${index} does not match the contract (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'bad shape'})`,
      );
    }
    const type = parsed.data;
    if (type.provider !== providerId) {
      throw invalid(providerId, `instance type ${type.id} claims provider "${type.provider}"`);
    }
    if (seen.has(type.id)) throw invalid(providerId, `instance type id ${type.id} appears twice`);
    seen.add(type.id);
    return type;
  });
}

function invalid(providerId: string, message: string): ControlPlaneError {
  return new ControlPlaneError(503, 'catalog/invalid', `${providerId}: ${message}`);
}
