import {
  CloudError,
  correlationTags,
  CreateInstanceAttrsSchema,
  filterInstanceTypes,
  foreignInstance,
  isCloudError,
  isEmptyFilter,
  matchesListInstancesArgs,
  readCorrelationTags,
  silentLogger,
  withFirewall,
  type ClientContext,
  type CloudClient,
  type CreateInstanceAttrs,
  type GetInstanceTypesArgs,
  type Instance,
  type InstanceType,
  type ListInstancesArgs,
  type Location,
  type Logger,
  type RebootOps,
  type StopStartOps,
  type TagOps,
} from '@cloudplane/sdk';
import { z } from 'zod';
import { DevcloudApi } from './api.js';
import { catalogPages, mapCatalog } from './catalog-memo.js';
import type { DevcloudCredential } from './credential.js';
import type { DevcloudDefect } from './defects.js';
import {
  PROVIDER_ID,
  REF_ID_TAG,
  statusMap,
  TAG_SCHEME,
  toInstance,
  toInstanceType,
} from './mapping.js';
import {
  InstanceResponse,
  InstancesPage,
  OffersPage,
  RegionsResponse,
  type WireInstance,
  type WireOffer,
} from './wire.js';

const PAGE_SIZE = 100;
/** The API's largest page: a catalog is read whole, so fewer round trips are all gain. */
const CATALOG_PAGE_SIZE = 500;

/** A client for one devcloud credential. The API is global: one client sees every region. */
export class DevcloudClient implements CloudClient {
  readonly providerId = PROVIDER_ID;
  readonly cloudCredRefId: string;
  readonly stopStart: StopStartOps;
  /** Absent only under the `missing-declared-capability` defect. */
  readonly reboot?: RebootOps;
  readonly tags: TagOps;
  private readonly api: DevcloudApi;
  private readonly logger: Logger;
  private readonly defects: ReadonlySet<DevcloudDefect>;
  private catalogCalls = 0;
  /** Whose catalog this client maps, for the mapping memo (see catalog-memo.ts). */
  private readonly catalogKey: string;
  /** The offers of the last catalog read, which say which instance types can be stopped. */
  private catalogOffers: readonly WireOffer[] = [];
  /** Built from `catalogOffers` when an instance first needs it. */
  private stoppableByName: Map<string, boolean> | undefined;

  constructor(context: ClientContext<DevcloudCredential>) {
    this.cloudCredRefId = context.cloudCredRefId;
    this.catalogKey = `${context.cloudCredRefId}\u0000${context.credential.baseUrl}`;
    this.logger = context.logger ?? silentLogger;
    this.defects = new Set(context.credential.defects);
    this.api = new DevcloudApi({
      baseUrl: context.credential.baseUrl,
      apiKey: context.credential.apiKey,
      fetch: context.fetch ?? globalThis.fetch,
      logger: this.logger,
      signal: context.signal,
      ...(context.credential.timeoutMs === undefined
        ? {}
        : { timeoutMs: context.credential.timeoutMs }),
    });
    this.stopStart = {
      stopInstance: (id) => this.action(id, 'stop'),
      startInstance: (id) => this.action(id, 'start'),
    };
    if (!this.defects.has('missing-declared-capability')) {
      this.reboot = { rebootInstance: (id) => this.action(id, 'reboot') };
    }
    this.tags = {
      updateTags: async (id, tags) => {
        await this.api.request(
          'PATCH',
          `/v1/instances/${encodeURIComponent(id)}/tags`,
          InstanceResponse,
          {
            operation: 'update tags',
            body: { tags },
            idempotent: true,
          },
        );
      },
    };
  }

  async getLocations(): Promise<Location[]> {
    const { regions } = await this.api.request('GET', '/v1/regions', RegionsResponse, {
      operation: 'list regions',
      idempotent: true,
    });
    return regions.map((r) => ({
      name: r.id,
      description: r.name,
      available: r.available,
      country: r.country,
      subLocations: r.zones,
    }));
  }

  async getInstanceTypes(args: GetInstanceTypesArgs = {}): Promise<InstanceType[]> {
    if (isEmptyFilter(args)) return [];
    const offers = await this.allOffers();
    this.catalogCalls++;
    const mapped = mapCatalog(this.catalogKey, offers, toInstanceType);
    const filtered = Object.values(args).some((value) => value !== undefined);
    const types = filtered ? filterInstanceTypes(mapped, args) : mapped;
    this.catalogOffers = offers;
    this.stoppableByName = undefined;
    return this.breakCatalog(types);
  }

  private async allOffers(): Promise<WireOffer[]> {
    const all: WireOffer[] = [];
    let cursor: string | null = null;
    let page = 0;
    do {
      page++;
      const query: string =
        cursor === null
          ? `?limit=${CATALOG_PAGE_SIZE}`
          : `?limit=${CATALOG_PAGE_SIZE}&cursor=${encodeURIComponent(cursor)}`;
      const result: z.infer<typeof OffersPage> = await this.api.request(
        'GET',
        `/v1/instance-types${query}`,
        OffersPage,
        {
          operation: `list instance types (page ${page})`,
          idempotent: true,
          memo: { store: catalogPages, key: `${this.catalogKey}\u0000${query}` },
        },
      );
      all.push(...result.instance_types);
      cursor = result.next_cursor;
    } while (cursor !== null);
    return all;
  }

  async createInstance(input: CreateInstanceAttrs): Promise<Instance> {
    const attrs = CreateInstanceAttrsSchema.parse(input);
    const rules = attrs.firewallRules;
    const hasRules = rules !== undefined && (rules.ingress.length > 0 || rules.egress.length > 0);
    const userData = hasRules
      ? withFirewall(attrs.userData, this.firewallRulesToApply(rules))
      : attrs.userData;
    const body = {
      name: attrs.name ?? attrs.refId,
      instance_type: attrs.instanceType,
      region: attrs.location,
      zone: attrs.subLocation ?? null,
      public_key: this.defects.has('wrong-public-key') ? WRONG_KEY : attrs.publicKey,
      ...(userData !== undefined ? { user_data: userData } : {}),
      tags: {
        ...attrs.tags,
        ...correlationTags(TAG_SCHEME, { refId: attrs.refId, cloudCredRefId: this.cloudCredRefId }),
      },
    };
    let wire: WireInstance;
    try {
      ({ instance: wire } = await this.api.request('POST', '/v1/instances', InstanceResponse, {
        operation: 'launch instance',
        body,
        idempotent: false,
      }));
    } catch (err) {
      if (
        isCloudError(err, 'INSUFFICIENT_CAPACITY') &&
        this.defects.has('generic-capacity-error')
      ) {
        throw new CloudError('INTERNAL', { message: 'launch failed' });
      }
      // A launch that timed out may have happened: find it by its refId before giving up.
      if (isCloudError(err, 'SERVICE_UNAVAILABLE', 'INTERNAL')) {
        const existing = await this.findByRefId(attrs.refId).catch(() => undefined);
        if (existing) return existing;
      }
      throw err;
    }
    return this.toContract(wire);
  }

  /** The `firewall-leaves-port-open` defect drops the source restriction of every rule. */
  private firewallRulesToApply(rules: NonNullable<CreateInstanceAttrs['firewallRules']>) {
    if (!this.defects.has('firewall-leaves-port-open')) return rules;
    return {
      ...rules,
      ingress: [
        ...rules.ingress,
        { protocol: 'tcp' as const, fromPort: 1, toPort: 65535, cidrs: ['0.0.0.0/0'] },
      ],
    };
  }

  private async findByRefId(refId: string): Promise<Instance | undefined> {
    const found = await this.listInstances({ tagFilters: { [REF_ID_TAG]: [refId] } });
    return found[0];
  }

  async getInstance(cloudId: string): Promise<Instance> {
    const { instance } = await this.api.request(
      'GET',
      `/v1/instances/${encodeURIComponent(cloudId)}`,
      InstanceResponse,
      {
        operation: `get instance ${cloudId}`,
        idempotent: true,
      },
    );
    const mapped = this.correlated(instance);
    if (!mapped) {
      const { lifecycle } = statusMap.map(instance.status, { logger: this.logger });
      throw foreignInstance(cloudId, 'it carries no correlation tags', lifecycle);
    }
    return mapped;
  }

  async listInstances(args: ListInstancesArgs = {}): Promise<Instance[]> {
    if (isEmptyFilter(args)) return [];
    const all: Instance[] = [];
    let cursor: string | null = null;
    let page = 0;
    const tagEntry = Object.entries(args.tagFilters ?? {}).find(
      ([, values]) => values.length === 1,
    );
    do {
      page++;
      const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (cursor !== null) params.set('cursor', cursor);
      if (tagEntry) params.set('tag', `${tagEntry[0]}:${tagEntry[1][0] ?? ''}`);
      let result: z.infer<typeof InstancesPage>;
      try {
        result = await this.api.request(
          'GET',
          `/v1/instances?${params.toString()}`,
          InstancesPage,
          {
            operation: `list instances (page ${page})`,
            idempotent: true,
          },
        );
      } catch (err) {
        if (this.defects.has('partial-list')) return all;
        throw err;
      }
      for (const wire of result.instances) {
        const instance = this.correlated(wire);
        if (instance && matchesListInstancesArgs(instance, args)) all.push(instance);
      }
      cursor = result.next_cursor;
    } while (cursor !== null);
    return all;
  }

  async terminateInstance(cloudId: string): Promise<void> {
    try {
      const { instance } = await this.api.request(
        'DELETE',
        `/v1/instances/${encodeURIComponent(cloudId)}`,
        InstanceResponse,
        {
          operation: `terminate instance ${cloudId}`,
          idempotent: true,
        },
      );
      if (this.defects.has('terminate-not-idempotent') && instance.status === 'terminated') {
        throw new CloudError('INVALID_ARGUMENT', {
          message: `instance ${cloudId} is already terminated`,
        });
      }
    } catch (err) {
      if (isCloudError(err, 'INSTANCE_NOT_FOUND') && !this.defects.has('terminate-not-idempotent'))
        return;
      throw err;
    }
  }

  private async action(cloudId: string, action: 'stop' | 'start' | 'reboot'): Promise<void> {
    await this.api.request(
      'POST',
      `/v1/instances/${encodeURIComponent(cloudId)}/${action}`,
      InstanceResponse,
      {
        operation: `${action} instance ${cloudId}`,
        idempotent: true,
      },
    );
  }

  private toContract(wire: WireInstance): Instance {
    const instance = this.correlated(wire);
    if (!instance)
      throw new CloudError('INTERNAL', {
        message: `instance ${wire.id} came back without its correlation tags`,
      });
    return instance;
  }

  /** Maps an instance we created; foreign ones (no correlation tags) are skipped with a warning. */
  private correlated(wire: WireInstance): Instance | undefined {
    const ids = readCorrelationTags(TAG_SCHEME, wire.tags);
    if (!ids) {
      this.logger.warn(
        { provider: PROVIDER_ID, cloudId: wire.id },
        'skipping an instance without cloudplane correlation tags',
      );
      return undefined;
    }
    const instance = toInstance(wire, ids, this.stoppable(wire.instance_type), this.logger);
    return this.breakInstance(instance);
  }

  /** Whether instances of the named type can be stopped; true for a type not in the catalog. */
  private stoppable(typeName: string): boolean {
    this.stoppableByName ??= new Map(this.catalogOffers.map((o) => [o.name, o.stoppable]));
    return this.stoppableByName.get(typeName) ?? true;
  }

  private breakCatalog(types: InstanceType[]): InstanceType[] {
    let result = types;
    if (this.defects.has('unstable-type-ids'))
      result = result.map((t) => ({ ...t, id: `${t.id}#${this.catalogCalls}` }));
    if (this.defects.has('duplicate-type-ids') && result.length > 1) {
      const [first, second, ...rest] = result;
      if (first && second) result = [first, { ...second, id: first.id }, ...rest];
    }
    return result;
  }

  private breakInstance(instance: Instance): Instance {
    let result = instance;
    if (this.defects.has('instance-type-id-mismatch'))
      result = { ...result, instanceTypeId: `${result.location}-${result.instanceType}` };
    if (this.defects.has('missing-ref-id')) result = { ...result, refId: result.cloudId };
    if (this.defects.has('wrong-cloud-cred-ref-id'))
      result = { ...result, cloudCredRefId: this.cloudCredRefId };
    return result;
  }
}

/** A valid key nobody holds, for the `wrong-public-key` defect. */
const WRONG_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBmVYd5aHkqkK4dU0h0mZQm0pSxv1k0Lw6bO4F3o2r5c nobody@devcloud';
