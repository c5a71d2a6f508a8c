import {
  instanceState,
  launchAllOrNothing,
  terminatedAnyway,
  WarnOnce,
  type InstanceState,
} from '@cloudplane/provider-kit';
import {
  CloudError,
  correlatedOnly,
  composeUserData,
  CreateInstanceAttrsSchema,
  filterInstances,
  filterInstanceTypes,
  firewallScript,
  foreignInstance,
  isEmptyFilter,
  matchesLocations,
  silentLogger,
  sleep,
  type ClientContext,
  type CloudClient,
  type CorrelationIds,
  type CreateInstanceAttrs,
  type GetInstanceTypesArgs,
  type Instance,
  type InstanceType,
  type ListInstancesArgs,
  type Location,
  type Logger,
  type StopStartOps,
  type TagCorrelation,
  type Tags,
} from '@cloudplane/sdk';
import { locationsOf, mapCatalog, PROVIDER_ID } from './catalog.js';
import { regionBaseUrl, type FluidstackCredential } from './credential.js';
import { FluidstackHttp, type Call, type Replay, type RetryPolicy } from './http.js';
import { toInstance } from './instances.js';
import { statusMap } from './status.js';
import { instanceName, launchTags, readCorrelation } from './tags.js';
import {
  CapacityResponse,
  InstancesResponse,
  InstanceTypesResponse,
  InstanceWire,
  NoContent,
} from './wire.js';

export interface FluidstackClientOptions {
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  /** The clock, for the creation-time tag and instances without one. */
  readonly now: () => Date;
  /** How long a launch watches a `creating` instance for `out-of-stock` before handing it over. */
  readonly stockCheckMs: number;
  /** How often it looks meanwhile. */
  readonly stockPollMs: number;
}

/** The spec's default image; its login user is SSH_USER. */
export const DEFAULT_IMAGE = 'image://ubuntu22.04';

type ParsedAttrs = ReturnType<typeof CreateInstanceAttrsSchema.parse>;

/** What a launch sends, worked out (and checked) before anything reaches Fluidstack. */
interface LaunchPlan {
  readonly ids: CorrelationIds;
  readonly type: string;
  readonly name: string;
  readonly tags: Tags;
  readonly userData: string;
  readonly image?: string;
}

/** The region a client serves and its host. */
interface Region {
  readonly name: string;
  readonly http: FluidstackHttp;
}

/**
 * A client for one Fluidstack credential in one region (Fluidstack is locational: each region
 * has its own host). Made without a location, it answers getLocations() only, which is how the
 * control plane learns where to make the others.
 */
export class FluidstackClient implements CloudClient {
  readonly providerId = PROVIDER_ID;
  readonly cloudCredRefId: string;
  readonly stopStart: StopStartOps;
  private readonly credential: FluidstackCredential;
  private readonly region: Region | undefined;
  /** The location the client was made with (undefined: none), for refusals when unbound. */
  private readonly requestedLocation: string | undefined;
  private readonly logger: Logger;
  private readonly signal: AbortSignal | undefined;
  private readonly warnings: WarnOnce;
  /** When this client first saw each instance, for instances without a creation-time tag. */
  private readonly firstSeen = new Map<string, Date>();

  constructor(
    context: ClientContext<FluidstackCredential>,
    private readonly options: FluidstackClientOptions,
  ) {
    this.cloudCredRefId = context.cloudCredRefId;
    this.credential = context.credential;
    this.logger = context.logger ?? silentLogger;
    this.signal = context.signal;
    this.warnings = new WarnOnce(this.logger, PROVIDER_ID);
    const location = context.location;
    this.region =
      location === undefined || !context.credential.regions.includes(location)
        ? undefined
        : {
            name: location,
            http: new FluidstackHttp({
              baseUrl: regionBaseUrl(context.credential, location),
              apiKey: context.credential.apiKey,
              fetch: context.fetch ?? globalThis.fetch,
              logger: this.logger,
              retry: options.retry,
              timeoutMs: options.timeoutMs,
              signal: context.signal,
            }),
          };
    this.requestedLocation = location;
    this.stopStart = {
      stopInstance: (cloudId) => this.act('stop', cloudId),
      startInstance: (cloudId) => this.act('start', cloudId),
    };
  }

  private bound(): Region {
    if (this.region) return this.region;
    throw new CloudError('INVALID_ARGUMENT', {
      message:
        this.requestedLocation === undefined
          ? 'Fluidstack is locational: this client was made without a location and can only list locations; make one per region'
          : `"${this.requestedLocation}" is not one of this credential's Fluidstack regions (${this.credential.regions.join(', ')})`,
    });
  }

  /** The project header every project-scoped call carries. */
  private project() {
    return { header: { 'X-PROJECT-ID': this.credential.projectId } };
  }

  getLocations(): Promise<Location[]> {
    return Promise.resolve(locationsOf(this.credential));
  }

  /** This region's types, priced from the credential; others' are asked of their own clients. */
  async getInstanceTypes(args: GetInstanceTypesArgs = {}): Promise<InstanceType[]> {
    const { name, http } = this.bound();
    if (isEmptyFilter(args) || !matchesLocations(args.locations, name)) return [];
    const [types, capacity] = await Promise.all([
      http.call({
        operation: `list instance types in ${name}`,
        schema: InstanceTypesResponse,
        replay: 'idempotent',
        send: (client, init) => client.GET('/instance-types', { parseAs: 'text', ...init }),
      }),
      http.call({
        operation: `list capacity in ${name}`,
        schema: CapacityResponse,
        replay: 'idempotent',
        send: (client, init) =>
          client.GET('/capacity', { params: this.project(), parseAs: 'text', ...init }),
      }),
    ]);
    const catalog = mapCatalog(
      {
        region: name,
        types,
        capacity: new Map(capacity.map((c) => [c.name, c.capacity])),
        prices: this.credential.prices,
      },
      this.warnings,
    );
    return filterInstanceTypes(catalog, args);
  }

  /** Launch, all or nothing: see launchAllOrNothing; an out-of-stock launch is deleted. */
  async createInstance(input: CreateInstanceAttrs): Promise<Instance> {
    const region = this.bound();
    const plan = this.plan(parseAttrs(input, region.name));
    return launchAllOrNothing({
      ids: plan.ids,
      launch: async () => [await this.launchOnce(region, plan)],
      // An instance that went out of stock is no earlier launch to adopt.
      list: async () =>
        (await this.listInstances()).filter((i) => i.status.native !== 'out-of-stock'),
      get: (cloudId) => this.settleLaunch(cloudId, plan),
      terminate: (cloudId) => this.terminateInstance(cloudId),
      policy: this.options.retry,
      signal: this.signal,
      logger: this.logger,
      providerId: PROVIDER_ID,
      displayName: 'Fluidstack',
    });
  }

  private plan(attrs: ParsedAttrs): LaunchPlan {
    const ids = { refId: attrs.refId, cloudCredRefId: this.cloudCredRefId };
    return {
      ids,
      type: attrs.instanceType,
      name: instanceName(attrs.refId, attrs.name),
      tags: launchTags(ids, this.options.now(), attrs.tags),
      userData: Buffer.from(userDataOf(attrs)).toString('base64'),
      ...(attrs.imageId !== undefined ? { image: attrs.imageId } : {}),
    };
  }

  private async launchOnce(region: Region, plan: LaunchPlan): Promise<string> {
    const launched = await region.http.call({
      operation: `launch ${plan.type} in ${region.name}`,
      schema: InstanceWire,
      replay: 'never',
      send: (client, init) =>
        client.POST('/instances', {
          params: this.project(),
          body: {
            name: plan.name,
            type: plan.type,
            tags: plan.tags,
            userData: plan.userData,
            image: plan.image ?? DEFAULT_IMAGE,
            // On-demand and persistent, as the catalog's price and stop/start assume.
            preemptible: false,
            ephemeral: false,
          },
          parseAs: 'text',
          ...init,
        }),
    });
    return launched.id;
  }

  /**
   * The launched instance, once Fluidstack has decided whether it has a machine for it: watched
   * while `creating`, for at most stockCheckMs. Out of stock is INSUFFICIENT_CAPACITY, which
   * makes launchAllOrNothing delete the instance before throwing.
   */
  private async settleLaunch(cloudId: string, plan: LaunchPlan): Promise<Instance> {
    const deadline = Date.now() + this.options.stockCheckMs;
    for (;;) {
      const wire = await this.fetchInstance(cloudId);
      const instance = this.mapOwn(wire, 'launched');
      if (wire.state === 'out-of-stock') {
        throw new CloudError('INSUFFICIENT_CAPACITY', {
          message: `launch ${plan.type} in ${this.bound().name}: Fluidstack has no capacity for it (the instance went out-of-stock)`,
          detail: { providerCode: 'out-of-stock' },
        });
      }
      if (wire.state !== 'creating' || Date.now() >= deadline) return instance;
      await sleep(this.options.stockPollMs, this.signal);
    }
  }

  async getInstance(cloudId: string): Promise<Instance> {
    return this.mapOwn(await this.fetchInstance(cloudId), 'requested');
  }

  private fetchInstance(cloudId: string): Promise<InstanceWire> {
    const { http } = this.bound();
    requireInstanceId(cloudId);
    return http.call({
      operation: `get instance ${cloudId}`,
      schema: InstanceWire,
      replay: 'idempotent',
      notFound: 'INSTANCE_NOT_FOUND',
      send: (client, init) =>
        client.GET('/instances/{id}', {
          params: { ...this.project(), path: { id: cloudId } },
          parseAs: 'text',
          ...init,
        }),
    });
  }

  /** Maps an instance asked for by id; one cloudplane did not create is not ours to report. */
  private mapOwn(wire: InstanceWire, how: 'requested' | 'launched'): Instance {
    const ids = readCorrelation(wire.tags);
    if (!ids) {
      throw how === 'launched'
        ? new CloudError('INTERNAL', {
            message: `Fluidstack did not keep the tags instance ${wire.id} was launched with, so it cannot be correlated`,
          })
        : foreignInstance(
            wire.id,
            'its tags carry no correlation data',
            statusMap.map(wire.state, { logger: this.logger }).lifecycle,
          );
    }
    return this.toInstance(wire, ids);
  }

  private toInstance(wire: InstanceWire, ids: TagCorrelation): Instance {
    return toInstance(wire, ids, this.bound().name, () => this.seen(wire.id), this.logger);
  }

  /** Fluidstack's list has no pages: one answer is the complete list (or the call fails). */
  async listInstances(args: ListInstancesArgs = {}): Promise<Instance[]> {
    const { name, http } = this.bound();
    if (isEmptyFilter(args) || !matchesLocations(args.locations, name)) return [];
    const instances = await http.call({
      operation: `list instances in ${name}`,
      schema: InstancesResponse,
      replay: 'idempotent',
      send: (client, init) =>
        client.GET('/instances', { params: this.project(), parseAs: 'text', ...init }),
    });
    const ours = correlatedOnly(instances, {
      correlate: (wire) => readCorrelation(wire.tags),
      cloudIdOf: (wire) => wire.id,
      warnings: this.warnings,
      fields: { region: name },
      message:
        'skipping a Fluidstack instance cloudplane did not create (its tags carry no correlation data)',
    });
    return filterInstances(
      ours.map(({ item, ids }) => this.toInstance(item, ids)),
      args,
    );
  }

  private seen(cloudId: string): Date {
    let at = this.firstSeen.get(cloudId);
    if (!at) {
      at = this.options.now();
      this.firstSeen.set(cloudId, at);
    }
    return at;
  }

  /** Idempotent: an instance that is gone or deleting counts as done. */
  async terminateInstance(cloudId: string): Promise<void> {
    try {
      requireInstanceId(cloudId);
      await this.request(`delete instance ${cloudId}`, 'idempotent', (client, init) =>
        client.DELETE('/instances/{id}', {
          params: { ...this.project(), path: { id: cloudId } },
          parseAs: 'text',
          ...init,
        }),
      );
    } catch (err) {
      // Fluidstack may refuse to delete what is already on its way out: look before failing.
      if (await terminatedAnyway(err, () => this.state(cloudId))) return;
      throw err;
    }
  }

  private state(cloudId: string): Promise<InstanceState> {
    return instanceState(
      async () =>
        statusMap.map((await this.fetchInstance(cloudId)).state, { logger: this.logger }).lifecycle,
    );
  }

  /** Stop and start are not idempotent enough to resend blindly: only a refused (429) one is. */
  private async act(action: 'start' | 'stop', cloudId: string): Promise<void> {
    requireInstanceId(cloudId);
    const path =
      action === 'start' ? '/instances/{id}/actions/start' : '/instances/{id}/actions/stop';
    await this.request(`${action} instance ${cloudId}`, 'if-refused', (client, init) =>
      client.POST(path, {
        params: { ...this.project(), path: { id: cloudId } },
        parseAs: 'text',
        ...init,
      }),
    );
  }

  /** A request on one instance that answers nothing (delete, start, stop). */
  private async request(operation: string, replay: Replay, send: Call<unknown>['send']) {
    await this.bound().http.call({
      operation,
      schema: NoContent,
      replay,
      notFound: 'INSTANCE_NOT_FOUND',
      send,
    });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Fluidstack's instance ids are UUIDs (the spec's path parameter); its server refuses anything
 * else with 400. An id that is no UUID names no instance, so it is INSTANCE_NOT_FOUND here.
 */
function requireInstanceId(cloudId: string): void {
  if (!UUID.test(cloudId)) {
    throw new CloudError('INSTANCE_NOT_FOUND', {
      message: `instance ${cloudId} does not exist (Fluidstack instance ids are UUIDs)`,
    });
  }
}

function invalid(what: string): CloudError {
  return new CloudError('INVALID_ARGUMENT', { message: `create instance: ${what}` });
}

/** The attrs, checked: what Fluidstack's launch cannot honour is refused, not silently dropped. */
function parseAttrs(input: CreateInstanceAttrs, region: string): ParsedAttrs {
  const parsed = CreateInstanceAttrsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`${issue?.path.join('.') || 'attrs'}: ${issue?.message ?? 'invalid'}`);
  }
  const attrs = parsed.data;
  if (attrs.location !== region) {
    throw invalid(
      `this client serves the Fluidstack region ${region}; launch in ${attrs.location} with that region's client`,
    );
  }
  if (attrs.diskSize !== undefined) {
    throw invalid(
      'the disk of a Fluidstack instance is fixed by its type; launch without diskSize',
    );
  }
  if (attrs.subLocation !== undefined) {
    throw invalid('Fluidstack regions have no zones; launch without subLocation');
  }
  return attrs;
}

/**
 * The cloud-init user data of a launch (Fluidstack has no SSH-key API): the launching user's key,
 * the user's own user data and, when rules are given, the SDK's firewall script, composed into one
 * MIME multi-part document by the SDK's composer.
 */
function userDataOf(attrs: ParsedAttrs): string {
  const rules = attrs.firewallRules;
  let firewall: string | undefined;
  if (rules && (rules.ingress.length > 0 || rules.egress.length > 0)) {
    try {
      firewall = firewallScript(rules);
    } catch (err) {
      throw invalid(`firewallRules: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return composeUserData({
    sshAuthorizedKeys: [attrs.publicKey],
    userData: attrs.userData,
    firewallScript: firewall,
  });
}
