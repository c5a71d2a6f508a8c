import type {
  ClientContext,
  CloudClient,
  CreateInstanceAttrs,
  FirewallOps,
  FirewallRules,
  GetInstanceTypesArgs,
  Instance,
  InstanceType,
  ListInstancesArgs,
  Location,
  RebootOps,
  StopStartOps,
  TagOps,
  Tags,
} from '@cloudplane/sdk';
import type { AwsClient, AwsClientOptions } from './client.js';
import type { AwsCredential } from './credential.js';
import { clientRegion } from './regions.js';

/**
 * The client the provider makes. The AWS SDK takes over half a second of CPU to load, which every
 * control plane and CLI process holding this adapter would pay at start, used or not: the
 * client behind this one (client.ts) loads on the first call instead. A region the credential
 * lacks is refused here, when the client is made, as AwsClient itself would.
 */
export class DeferredAwsClient implements CloudClient {
  readonly providerId = 'aws';
  readonly cloudCredRefId: string;
  readonly region: string;
  readonly stopStart: StopStartOps = {
    stopInstance: (id) => this.call((c) => c.stopStart.stopInstance(id)),
    startInstance: (id) => this.call((c) => c.stopStart.startInstance(id)),
  };
  readonly reboot: RebootOps = {
    rebootInstance: (id) => this.call((c) => c.reboot.rebootInstance(id)),
  };
  readonly tags: TagOps = {
    updateTags: (id, tags: Tags) => this.call((c) => c.tags.updateTags(id, tags)),
  };
  readonly firewall: FirewallOps = {
    updateFirewallRules: (id, rules: FirewallRules) =>
      this.call((c) => c.firewall.updateFirewallRules(id, rules)),
  };
  private client: Promise<AwsClient> | undefined;

  constructor(
    private readonly context: ClientContext<AwsCredential>,
    private readonly options: AwsClientOptions,
  ) {
    this.cloudCredRefId = context.cloudCredRefId;
    this.region = clientRegion(context.credential, context.location);
  }

  getLocations(): Promise<Location[]> {
    return this.call((c) => c.getLocations());
  }

  getInstanceTypes(args?: GetInstanceTypesArgs): Promise<InstanceType[]> {
    return this.call((c) => c.getInstanceTypes(args));
  }

  createInstance(attrs: CreateInstanceAttrs): Promise<Instance> {
    return this.call((c) => c.createInstance(attrs));
  }

  getInstance(cloudId: string): Promise<Instance> {
    return this.call((c) => c.getInstance(cloudId));
  }

  listInstances(args?: ListInstancesArgs): Promise<Instance[]> {
    return this.call((c) => c.listInstances(args));
  }

  terminateInstance(cloudId: string): Promise<void> {
    return this.call((c) => c.terminateInstance(cloudId));
  }

  private async call<T>(use: (client: AwsClient) => Promise<T>): Promise<T> {
    this.client ??= import('./client.js')
      .then(({ AwsClient }) => new AwsClient(this.context, this.options))
      .catch((err: unknown) => {
        this.client = undefined;
        throw err;
      });
    return use(await this.client);
  }
}
