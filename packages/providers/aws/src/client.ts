import { createHash } from 'node:crypto';
import {
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeRegionsCommand,
  ModifyInstanceAttributeCommand,
  RebootInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type Filter,
  type Instance as Ec2Instance,
  type RunInstancesCommandInput,
} from '@aws-sdk/client-ec2';
import { pauseBeforeRetry, terminateOrExplain, WarnOnce } from '@cloudplane/provider-kit';
import {
  bytesIn,
  CloudError,
  correlatedOnly,
  CreateInstanceAttrsSchema,
  filterInstances,
  filterInstanceTypes,
  foreignInstance,
  isCloudError,
  isEmptyFilter,
  matchesLocations,
  silentLogger,
  toCloudError,
  type ClientContext,
  type CloudClient,
  type CreateInstanceAttrs,
  type FirewallOps,
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
import { describeGpuTypes, mapCatalog, PROVIDER_ID } from './catalog.js';
import type { AwsCredential } from './credential.js';
import { Ec2Api, type RetryPolicy } from './ec2.js';
import { ensureSecurityGroup, ruleSetOf } from './firewall.js';
import { resolveImage } from './images.js';
import { ec2InstanceType } from './instance-type-name.js';
import { toInstance } from './instances.js';
import { keyPairFor } from './key-pairs.js';
import { clientRegion, locationsOf } from './regions.js';
import { statusMap } from './status.js';
import { correlationTags, readCorrelation, TAG_CRED_ID, TAG_REF_ID, toEc2Tags } from './tags.js';

export interface AwsClientOptions {
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  /** The clock, for the creation time kept in a tag. */
  readonly now: () => Date;
}

type ParsedAttrs = ReturnType<typeof CreateInstanceAttrsSchema.parse>;

/** EC2 takes at most 16 KB of user data (before base64). */
const MAX_USER_DATA_BYTES = 16 * 1024;

/**
 * A client for one AWS credential in one region (the provider is `locational`). Without a
 * location it serves the credential's first region, so that a client made only to list
 * locations, or by a runner that knows no location, still works.
 */
export class AwsClient implements CloudClient {
  readonly providerId = PROVIDER_ID;
  readonly cloudCredRefId: string;
  readonly region: string;
  readonly stopStart: StopStartOps;
  readonly reboot: RebootOps;
  readonly tags: TagOps;
  readonly firewall: FirewallOps;
  private readonly api: Ec2Api;
  private readonly credential: AwsCredential;
  private readonly logger: Logger;
  private readonly warnings: WarnOnce;

  constructor(
    context: ClientContext<AwsCredential>,
    private readonly options: AwsClientOptions,
  ) {
    const { credential } = context;
    const region = clientRegion(credential, context.location);
    this.region = region;
    this.credential = credential;
    this.cloudCredRefId = context.cloudCredRefId;
    this.logger = context.logger ?? silentLogger;
    this.warnings = new WarnOnce(this.logger, PROVIDER_ID);
    this.api = new Ec2Api({
      region,
      credential,
      fetch: context.fetch ?? globalThis.fetch,
      logger: this.logger,
      retry: options.retry,
      timeoutMs: options.timeoutMs,
      signal: context.signal,
    });
    this.stopStart = {
      stopInstance: (id) => this.changeState(id, 'stop'),
      startInstance: (id) => this.changeState(id, 'start'),
    };
    this.reboot = { rebootInstance: (id) => this.changeState(id, 'reboot') };
    this.tags = { updateTags: (id, tags) => this.updateTags(id, tags) };
    this.firewall = { updateFirewallRules: (id, rules) => this.updateFirewall(id, rules) };
  }

  async getLocations(): Promise<Location[]> {
    const answer = await this.api.call('describe regions', 'idempotent', (c, o) =>
      c.send(new DescribeRegionsCommand({ AllRegions: true }), o),
    );
    const optIn = new Map(
      (answer.Regions ?? []).flatMap((r) =>
        r.RegionName === undefined ? [] : [[r.RegionName, r.OptInStatus] as const],
      ),
    );
    return locationsOf(this.credential.regions, optIn);
  }

  /** This region's catalog; `locations` other than this region match nothing here. */
  async getInstanceTypes(args: GetInstanceTypesArgs = {}): Promise<InstanceType[]> {
    if (isEmptyFilter(args) || !matchesLocations(args.locations, this.region)) return [];
    const infos = await describeGpuTypes(this.api);
    const prices = this.credential.prices[this.region] ?? {};
    return filterInstanceTypes(mapCatalog(this.region, infos, prices, this.warnings), args);
  }

  /**
   * Launch. Idempotent by refId twice over: an instance already carrying this refId is returned
   * as it is, and RunInstances carries a ClientToken derived from the refId, so EC2 itself
   * answers a resent launch (the call layer's retries, a lost answer) with the instance the first
   * one started instead of starting another.
   */
  async createInstance(input: CreateInstanceAttrs): Promise<Instance> {
    const attrs = this.parseAttrs(input);
    const ids = { refId: attrs.refId, cloudCredRefId: this.cloudCredRefId };
    const earlier = await this.findLaunch(ids.refId);
    if (earlier) return earlier;
    const userTagList = toEc2Tags(attrs.tags ?? {}, 'create instance');
    const ruleSet = ruleSetOf(attrs.firewallRules, 'create instance');
    const architecture = await this.architectureOf(attrs.instanceType);
    const image = await resolveImage(
      this.api,
      architecture,
      attrs.imageId ?? this.credential.imageIds?.[this.region],
    );
    const keyName = await keyPairFor(this.api, attrs.publicKey, this.logger);
    const groupId = await ensureSecurityGroup(this.api, ruleSet);
    const correlation = correlationTags(ids, this.options.now());
    const launch: RunInstancesCommandInput = {
      ImageId: image.imageId,
      InstanceType: ec2InstanceType(attrs.instanceType),
      MinCount: 1,
      MaxCount: 1,
      KeyName: keyName,
      SecurityGroupIds: [groupId],
      ClientToken: clientToken(ids.refId, ids.cloudCredRefId),
      TagSpecifications: [
        {
          ResourceType: 'instance',
          Tags: [
            ...correlation,
            ...(attrs.name !== undefined && attrs.name !== ''
              ? [{ Key: 'Name', Value: attrs.name }]
              : []),
            ...userTagList,
          ],
        },
        { ResourceType: 'volume', Tags: correlation },
      ],
      ...(attrs.userData !== undefined
        ? { UserData: Buffer.from(attrs.userData, 'utf8').toString('base64') }
        : {}),
      ...(attrs.subLocation !== undefined
        ? { Placement: { AvailabilityZone: attrs.subLocation } }
        : {}),
      ...(attrs.diskSize !== undefined && image.rootDeviceName !== undefined
        ? {
            BlockDeviceMappings: [
              {
                DeviceName: image.rootDeviceName,
                Ebs: {
                  VolumeSize: Math.ceil(bytesIn(attrs.diskSize, 'GiB')),
                  VolumeType: 'gp3',
                  DeleteOnTermination: true,
                },
              },
            ],
          }
        : {}),
    };
    const answer = await this.api.call(
      `launch ${attrs.instanceType} in ${this.region}`,
      // The ClientToken makes a resent launch safe: EC2 answers it with the first launch's result.
      'idempotent',
      (c, o) => c.send(new RunInstancesCommand(launch), o),
    );
    return this.settle(answer.Instances ?? [], ids);
  }

  /** The launched instance, mapped; one that cannot be handed over is terminated. */
  private async settle(
    launched: readonly Ec2Instance[],
    ids: { refId: string; cloudCredRefId: string },
  ): Promise<Instance> {
    const [first, ...extra] = launched;
    const cloudId = first?.InstanceId;
    if (first === undefined || cloudId === undefined) {
      throw new CloudError('INSUFFICIENT_CAPACITY', {
        message: `launch in ${this.region}: AWS accepted the launch but started no instance`,
      });
    }
    const cleanup = {
      terminate: (id: string) => this.terminateUnchecked(id),
      logger: this.logger,
      providerId: PROVIDER_ID,
      displayName: 'AWS',
    };
    for (const surplus of extra) {
      if (surplus.InstanceId === undefined) continue;
      const reason = new CloudError('INTERNAL', {
        message: `surplus instance ${surplus.InstanceId}`,
      });
      const outcome = await terminateOrExplain(surplus.InstanceId, reason, cleanup);
      if (outcome !== reason) throw outcome;
    }
    try {
      const instance = readCorrelation(first.Tags)
        ? this.mapOwn(first, 'launched')
        : await this.readBack(cloudId);
      if (instance.refId !== ids.refId || instance.cloudCredRefId !== ids.cloudCredRefId) {
        throw new CloudError('INTERNAL', {
          message: `instance ${cloudId} came back with other correlation tags than it was launched with`,
        });
      }
      return instance;
    } catch (err) {
      throw await terminateOrExplain(cloudId, toCloudError(err), cleanup);
    }
  }

  /** EC2's reads lag its writes: a just-launched id may be unknown for a moment. */
  private async readBack(cloudId: string): Promise<Instance> {
    for (let attempt = 1; ; attempt++) {
      try {
        const wire = await this.describeOne(cloudId);
        return this.mapOwn(wire, 'launched');
      } catch (err) {
        if (!isCloudError(err, 'INSTANCE_NOT_FOUND') || attempt >= this.options.retry.attempts)
          throw err;
        await pauseBeforeRetry(attempt, err, this.options.retry);
      }
    }
  }

  /** An instance launched for `refId` by any earlier call, live ones first. */
  private async findLaunch(refId: string): Promise<Instance | undefined> {
    const found = (await this.describeOurs([{ Name: `tag:${TAG_REF_ID}`, Values: [refId] }]))
      .filter((i) => i.cloudCredRefId === this.cloudCredRefId)
      .sort((a, b) => rank(a) - rank(b));
    return found[0];
  }

  private async architectureOf(type: string): Promise<'x86_64' | 'arm64'> {
    const answer = await this.api.call(`describe instance type ${type}`, 'idempotent', (c, o) =>
      c.send(new DescribeInstanceTypesCommand({ InstanceTypes: [ec2InstanceType(type)] }), o),
    );
    const supported = answer.InstanceTypes?.[0]?.ProcessorInfo?.SupportedArchitectures ?? [];
    if (supported.includes('x86_64')) return 'x86_64';
    if (supported.includes('arm64')) return 'arm64';
    throw new CloudError('INVALID_ARGUMENT', {
      message: `instance type ${type} is not offered in ${this.region} for x86_64 or arm64`,
    });
  }

  async getInstance(cloudId: string): Promise<Instance> {
    return this.mapOwn(await this.describeOne(cloudId), 'requested');
  }

  private async describeOne(cloudId: string): Promise<Ec2Instance> {
    const answer = await this.api.call(`describe instance ${cloudId}`, 'idempotent', (c, o) =>
      c.send(new DescribeInstancesCommand({ InstanceIds: [cloudId] }), o),
    );
    const wire = (answer.Reservations ?? [])
      .flatMap((r) => r.Instances ?? [])
      .find((i) => i.InstanceId === cloudId);
    if (!wire) {
      throw new CloudError('INSTANCE_NOT_FOUND', {
        message: `describe instance ${cloudId}: no such instance in ${this.region}`,
      });
    }
    return wire;
  }

  /** Maps an instance asked for by id; one cloudplane did not create is not ours to report. */
  private mapOwn(wire: Ec2Instance, how: 'requested' | 'launched'): Instance {
    const ids = readCorrelation(wire.Tags);
    if (!ids) {
      throw how === 'launched'
        ? new CloudError('INTERNAL', {
            message: `instance ${wire.InstanceId ?? '?'} carries no correlation tags although it was launched with them`,
          })
        : foreignInstance(
            wire.InstanceId ?? '?',
            `it has no ${TAG_REF_ID} and ${TAG_CRED_ID} tags`,
            statusMap.map(wire.State?.Name ?? 'unknown', { logger: this.logger }).lifecycle,
          );
    }
    return toInstance(wire, ids, this.region, this.credential.sshUser, this.logger);
  }

  /**
   * Our instances in this region, every page. EC2 filters by tag server-side, so the account's
   * other instances are not even sent; one that has our ref-id tag but lost the other is
   * skipped with a warning.
   */
  async listInstances(args: ListInstancesArgs = {}): Promise<Instance[]> {
    if (isEmptyFilter(args) || !matchesLocations(args.locations, this.region)) return [];
    const filters: Filter[] = [];
    if (args.instanceIds) filters.push({ Name: 'instance-id', Values: args.instanceIds });
    for (const [key, values] of Object.entries(args.tagFilters ?? {})) {
      filters.push({ Name: `tag:${key}`, Values: values });
    }
    return filterInstances(await this.describeOurs(filters), args);
  }

  private async describeOurs(filters: readonly Filter[]): Promise<Instance[]> {
    const wires = await this.api.allPages(
      `list instances in ${this.region}`,
      (client, token, abortSignal) =>
        client.send(
          new DescribeInstancesCommand({
            Filters: [{ Name: 'tag-key', Values: [TAG_REF_ID] }, ...filters],
            MaxResults: 1000,
            ...(token !== undefined ? { NextToken: token } : {}),
          }),
          { abortSignal },
        ),
      (page) => ({
        items: (page.Reservations ?? []).flatMap((r) => r.Instances ?? []),
        next: page.NextToken,
      }),
    );
    const ours = correlatedOnly(wires, {
      correlate: (wire) => readCorrelation(wire.Tags),
      cloudIdOf: (wire) => wire.InstanceId,
      warnings: this.warnings,
      fields: { region: this.region },
      message: 'skipping an EC2 instance without complete cloudplane correlation tags',
    });
    return ours.map(({ item, ids }) =>
      toInstance(item, ids, this.region, this.credential.sshUser, this.logger),
    );
  }

  /**
   * Idempotent: an instance that is gone, terminating or terminated counts as done. An instance
   * cloudplane did not create is never terminated (`foreignInstance`).
   */
  async terminateInstance(cloudId: string): Promise<void> {
    let wire: Ec2Instance;
    try {
      wire = await this.describeOne(cloudId);
    } catch (err) {
      if (isCloudError(err, 'INSTANCE_NOT_FOUND')) return;
      throw err;
    }
    // Ended or ending is done, whoever made it; only a live one is checked for our tags.
    const state = statusMap.map(wire.State?.Name ?? 'unknown', { logger: this.logger }).lifecycle;
    if (state === 'terminated' || state === 'terminating') return;
    if (!readCorrelation(wire.Tags)) {
      throw foreignInstance(cloudId, 'no correlation tags; it was not terminated', state);
    }
    await this.terminateUnchecked(cloudId);
  }

  private async terminateUnchecked(cloudId: string): Promise<void> {
    try {
      await this.api.call(`terminate instance ${cloudId}`, 'idempotent', (c, o) =>
        c.send(new TerminateInstancesCommand({ InstanceIds: [cloudId] }), o),
      );
    } catch (err) {
      if (isCloudError(err, 'INSTANCE_NOT_FOUND')) return;
      throw err;
    }
  }

  private async changeState(cloudId: string, change: 'stop' | 'start' | 'reboot'): Promise<void> {
    await this.getInstance(cloudId);
    const InstanceIds = [cloudId];
    // Stop and start are idempotent at EC2 (stopping a stopped instance succeeds); a reboot is
    // resent only when EC2 refused it.
    await this.api.call(
      `${change} instance ${cloudId}`,
      change === 'reboot' ? 'if-refused' : 'idempotent',
      (c, o) =>
        change === 'stop'
          ? c.send(new StopInstancesCommand({ InstanceIds }), o)
          : change === 'start'
            ? c.send(new StartInstancesCommand({ InstanceIds }), o)
            : c.send(new RebootInstancesCommand({ InstanceIds }), o),
    );
  }

  private async updateTags(cloudId: string, tags: Record<string, string>): Promise<void> {
    const list = toEc2Tags(tags, `update tags of ${cloudId}`);
    await this.getInstance(cloudId);
    if (list.length === 0) return;
    await this.api.call(`tag instance ${cloudId}`, 'idempotent', (c, o) =>
      c.send(new CreateTagsCommand({ Resources: [cloudId], Tags: list }), o),
    );
  }

  /** Moves the instance to the security group of the new rule set (made if needed). */
  private async updateFirewall(
    cloudId: string,
    rules: Parameters<FirewallOps['updateFirewallRules']>[1],
  ): Promise<void> {
    const set = ruleSetOf(rules, `update firewall of ${cloudId}`);
    await this.getInstance(cloudId);
    const groupId = await ensureSecurityGroup(this.api, set);
    await this.api.call(`set security group of ${cloudId}`, 'idempotent', (c, o) =>
      c.send(new ModifyInstanceAttributeCommand({ InstanceId: cloudId, Groups: [groupId] }), o),
    );
  }

  /** The attrs, checked: what this client cannot honour is refused before anything is sent. */
  private parseAttrs(input: CreateInstanceAttrs): ParsedAttrs {
    const parsed = CreateInstanceAttrsSchema.safeParse(input);
    const refuse = (what: string) =>
      new CloudError('INVALID_ARGUMENT', { message: `create instance: ${what}` });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw refuse(`${issue?.path.join('.') || 'attrs'}: ${issue?.message ?? 'invalid'}`);
    }
    const attrs = parsed.data;
    if (attrs.location !== this.region) {
      throw refuse(
        `this client serves ${this.region}; launch in ${attrs.location} with that region's client`,
      );
    }
    if (attrs.userData !== undefined && Buffer.byteLength(attrs.userData) > MAX_USER_DATA_BYTES) {
      throw refuse(`userData is larger than EC2's ${MAX_USER_DATA_BYTES} bytes`);
    }
    return attrs;
  }
}

/**
 * RunInstances' idempotency token: the same launch (credential record and refId) always sends
 * the same token, and EC2 answers a repeated token with the first launch's instance. A digest
 * keeps it within EC2's 64 ASCII characters whatever the ids.
 */
export function clientToken(refId: string, cloudCredRefId: string): string {
  const digest = createHash('sha256').update(`${cloudCredRefId}\n${refId}`).digest('hex');
  return `cp-${digest.slice(0, 48)}`;
}

/** Live instances first, then those on their way out. */
function rank(instance: Instance): number {
  const state = instance.status.lifecycle;
  return state === 'terminated' ? 2 : state === 'terminating' ? 1 : 0;
}
