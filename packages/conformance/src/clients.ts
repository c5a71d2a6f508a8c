import {
  isCloudError,
  matchesLocations,
  type CloudClient,
  type GetInstanceTypesArgs,
  type Instance,
  type ListInstancesArgs,
  type Logger,
  type Provider,
  type ChangeInstanceTypeOps,
  type FirewallOps,
  type ImageOps,
  type QuotaOps,
  type RebootOps,
  type ResizeVolumeOps,
  type StopStartOps,
  type TagOps,
} from '@cloudplane/sdk';

/**
 * The client the checks talk to. For a `global` provider it is simply the provider's client. For
 * a `locational` one (a client is bound to one location) it is a view over one client per
 * location, made the way the control plane makes them (docs/conformance.md, "Locational
 * providers"):
 *
 * - locations come from a client made without a location (as the catalog syncer asks);
 * - the catalog and instance lists fan out to a client bound to each location of the run (the
 *   given `location`, or every location listed) and are complete or an error;
 * - a launch goes to the client of its location; every later call on an instance goes to the
 *   client of the location it was seen in, or, for an id never seen, to each in turn until one
 *   knows it.
 *
 * Optional groups are present on the view exactly when the bound clients have them, so the
 * capability check still sees what the adapter implements.
 */

export interface ClientSpec {
  readonly provider: Provider;
  readonly credential: unknown;
  readonly cloudCredRefId: string;
  readonly logger?: Logger | undefined;
  /** For locational providers: run in this location only (default: every location listed). */
  readonly location?: string | undefined;
}

export function makeSuiteClient(spec: ClientSpec): CloudClient {
  const make = (location?: string) =>
    spec.provider.makeClient({
      credential: spec.credential,
      cloudCredRefId: spec.cloudCredRefId,
      ...(spec.logger ? { logger: spec.logger } : {}),
      ...(location === undefined ? {} : { location }),
    });
  if (spec.provider.apiType === 'global') return make();
  return new LocationalView(make, spec.location);
}

/** The locations a run covers, for the report: set once the view has listed them. */
export function runLocations(client: CloudClient): readonly string[] | undefined {
  return client instanceof LocationalView ? client.covered : undefined;
}

class LocationalView implements CloudClient {
  readonly providerId: string;
  readonly cloudCredRefId: string;
  readonly stopStart?: StopStartOps;
  readonly reboot?: RebootOps;
  readonly tags?: TagOps;
  readonly firewall?: FirewallOps;
  readonly resizeVolume?: ResizeVolumeOps;
  readonly changeInstanceType?: ChangeInstanceTypeOps;
  readonly images?: ImageOps;
  readonly quota?: QuotaOps;
  covered: readonly string[] | undefined;
  private readonly root: CloudClient;
  private readonly bound = new Map<string, CloudClient>();
  /** The location each instance was seen in. */
  private readonly home = new Map<string, string>();

  constructor(
    private readonly make: (location?: string) => CloudClient,
    private readonly only: string | undefined,
  ) {
    this.root = make();
    this.providerId = this.root.providerId;
    this.cloudCredRefId = this.root.cloudCredRefId;
    // Which groups exist is read from the run's own location when one is given. Groups do not
    // depend on the location (docs/contract.md), so the location-less client serves otherwise.
    const sample = only === undefined ? this.root : make(only);
    const byId = <A extends unknown[]>(
      pick: (c: CloudClient) => ((id: string, ...args: A) => Promise<void>) | undefined,
    ) => {
      return async (id: string, ...args: A) => {
        const client = await this.clientOf(id);
        const method = pick(client);
        if (!method) throw new Error('the bound client lacks a method its sample client has');
        await method.call(undefined, id, ...args);
      };
    };
    if (sample.stopStart) {
      this.stopStart = {
        stopInstance: byId((c) => c.stopStart?.stopInstance.bind(c.stopStart)),
        startInstance: byId((c) => c.stopStart?.startInstance.bind(c.stopStart)),
      };
    }
    if (sample.reboot) {
      this.reboot = { rebootInstance: byId((c) => c.reboot?.rebootInstance.bind(c.reboot)) };
    }
    if (sample.tags) this.tags = { updateTags: byId((c) => c.tags?.updateTags.bind(c.tags)) };
    if (sample.firewall) {
      this.firewall = {
        updateFirewallRules: byId((c) => c.firewall?.updateFirewallRules.bind(c.firewall)),
      };
    }
    if (sample.resizeVolume) {
      this.resizeVolume = {
        resizeVolume: byId((c) => c.resizeVolume?.resizeVolume.bind(c.resizeVolume)),
      };
    }
    if (sample.changeInstanceType) {
      this.changeInstanceType = {
        changeInstanceType: byId((c) =>
          c.changeInstanceType?.changeInstanceType.bind(c.changeInstanceType),
        ),
      };
    }
    if (sample.images) {
      this.images = {
        getImages: async (args) =>
          (
            await this.fanOut(undefined, (c) => c.images?.getImages(args) ?? Promise.resolve([]))
          ).flat(),
      };
    }
    if (sample.quota) {
      this.quota = {
        getQuotas: async () =>
          (await this.fanOut(undefined, (c) => c.quota?.getQuotas() ?? Promise.resolve([]))).flat(),
      };
    }
  }

  getLocations() {
    return this.root.getLocations();
  }

  async getInstanceTypes(args: GetInstanceTypesArgs = {}) {
    const lists = await this.fanOut(args.locations, (client, location) =>
      client.getInstanceTypes({ ...args, locations: [location] }),
    );
    return lists.flat();
  }

  async createInstance(attrs: Parameters<CloudClient['createInstance']>[0]) {
    const instance = await this.at(attrs.location).createInstance(attrs);
    this.home.set(instance.cloudId, attrs.location);
    return instance;
  }

  async getInstance(cloudId: string) {
    const client = await this.clientOf(cloudId);
    return client.getInstance(cloudId);
  }

  async listInstances(args: ListInstancesArgs = {}) {
    const lists = await this.fanOut(args.locations, (client, location) =>
      client.listInstances({ ...args, locations: [location] }),
    );
    return this.remember(lists.flat());
  }

  async terminateInstance(cloudId: string) {
    const client = await this.clientOf(cloudId);
    await client.terminateInstance(cloudId);
  }

  private at(location: string): CloudClient {
    let client = this.bound.get(location);
    if (!client) {
      client = this.make(location);
      this.bound.set(location, client);
    }
    return client;
  }

  /** The run's locations: the given one, or every location the provider lists. */
  private async locations(): Promise<readonly string[]> {
    this.covered ??=
      this.only !== undefined ? [this.only] : (await this.root.getLocations()).map((l) => l.name);
    return this.covered;
  }

  /** Calls `fn` on the client of each run location the filter keeps, one after another. */
  private async fanOut<T>(
    filter: GetInstanceTypesArgs['locations'],
    fn: (client: CloudClient, location: string) => Promise<T>,
  ): Promise<T[]> {
    const results: T[] = [];
    for (const location of await this.locations()) {
      if (matchesLocations(filter, location)) results.push(await fn(this.at(location), location));
    }
    return results;
  }

  private remember(instances: Instance[]): Instance[] {
    for (const i of instances) this.home.set(i.cloudId, i.location);
    return instances;
  }

  /** The client of the instance's location; for an id never seen, the first that knows it. */
  private async clientOf(cloudId: string): Promise<CloudClient> {
    const known = this.home.get(cloudId);
    if (known !== undefined) return this.at(known);
    const locations = await this.locations();
    for (const location of locations) {
      try {
        await this.at(location).getInstance(cloudId);
        this.home.set(cloudId, location);
        return this.at(location);
      } catch (err) {
        if (!isCloudError(err, 'INSTANCE_NOT_FOUND')) throw err;
      }
    }
    // Nobody knows it: let the first location's client give its own answer (INSTANCE_NOT_FOUND).
    return this.at(locations[0] ?? this.only ?? '');
  }
}
