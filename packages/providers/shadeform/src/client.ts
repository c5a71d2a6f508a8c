import {
  mayRelaunch,
  pauseBeforeRetry,
  terminateOrExplain,
  WarnOnce,
  type RetryPolicy,
} from '@cloudplane/provider-kit';
import {
  CloudError,
  CreateInstanceAttrsSchema,
  filterInstances,
  filterInstanceTypes,
  isCloudError,
  isEmptyFilter,
  silentLogger,
  toCloudError,
  withFirewall,
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
  type RebootOps,
  type TagOps,
  type Tags,
} from '@cloudplane/sdk';
import { mapCatalog, PROVIDER_ID, type Catalog } from './catalog.js';
import { SHADEFORM_DEFAULT_BASE_URL, type ShadeformCredential } from './credential.js';
import { ShadeformHttp } from './http.js';
import { toInstance } from './instances.js';
import {
  correlationTag,
  decodeTags,
  encodeTags,
  parseTypeName,
  readCorrelation,
} from './naming.js';
import { sshKeyIdFor } from './ssh-keys.js';
import { statusMap } from './status.js';
import {
  CreateResponse,
  InstanceInfoResponse,
  InstancesResponse,
  InstanceTypesResponse,
  NoContent,
  type InstanceWire,
} from './wire.js';

export interface ShadeformClientOptions {
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  /** The clock, for instances whose creation time Shadeform does not give. */
  readonly now: () => Date;
}

type ParsedAttrs = ReturnType<typeof CreateInstanceAttrsSchema.parse>;

/** What a launch sends, worked out (and checked) before anything reaches Shadeform. */
interface LaunchPlan {
  readonly ids: CorrelationIds;
  readonly cloud: string;
  readonly shadeInstanceType: string;
  readonly region: string;
  readonly name: string;
  readonly tags: string[];
  readonly os?: string;
  readonly script?: string;
}

/** A client for one Shadeform API key. Shadeform's API is global: one client sees everything. */
export class ShadeformClient implements CloudClient {
  readonly providerId = PROVIDER_ID;
  readonly cloudCredRefId: string;
  readonly reboot: RebootOps;
  readonly tags: TagOps;
  private readonly http: ShadeformHttp;
  private readonly logger: Logger;
  private readonly signal: AbortSignal | undefined;
  private readonly warnings: WarnOnce;
  /** When this client first saw each instance, for instances without a creation time. */
  private readonly firstSeen = new Map<string, Date>();

  constructor(
    context: ClientContext<ShadeformCredential>,
    private readonly options: ShadeformClientOptions,
  ) {
    this.cloudCredRefId = context.cloudCredRefId;
    this.logger = context.logger ?? silentLogger;
    this.signal = context.signal;
    this.warnings = new WarnOnce(this.logger, PROVIDER_ID);
    this.http = new ShadeformHttp({
      baseUrl: context.credential.baseUrl ?? SHADEFORM_DEFAULT_BASE_URL,
      apiKey: context.credential.apiKey,
      fetch: context.fetch ?? globalThis.fetch,
      logger: this.logger,
      retry: options.retry,
      timeoutMs: options.timeoutMs,
      signal: context.signal,
    });
    this.reboot = { rebootInstance: (cloudId) => this.restart(cloudId) };
    this.tags = { updateTags: (cloudId, tags) => this.updateTags(cloudId, tags) };
  }

  async getLocations(): Promise<Location[]> {
    return (await this.catalog()).locations;
  }

  async getInstanceTypes(args: GetInstanceTypesArgs = {}): Promise<InstanceType[]> {
    if (isEmptyFilter(args)) return [];
    return filterInstanceTypes((await this.catalog()).types, args);
  }

  private async catalog(): Promise<Catalog> {
    const data = await this.http.call({
      operation: 'list instance types',
      schema: InstanceTypesResponse,
      replay: 'idempotent',
      send: (client, init) => client.GET('/instances/types', { parseAs: 'text', ...init }),
    });
    return mapCatalog(data.instance_types, this.warnings);
  }

  /**
   * Launch, all or nothing. Every launch attempt is preceded by a look for a live instance that
   * already carries this refId, so a retried create (here after an ambiguous failure, or by the
   * control plane after a crash) adopts the earlier launch instead of starting a second machine.
   */
  async createInstance(input: CreateInstanceAttrs): Promise<Instance> {
    const plan = this.plan(parseAttrs(input));
    const sshKeyId = await sshKeyIdFor(this.http, input.publicKey, plan.ids, this.logger);
    const { attempts } = this.options.retry;
    let lastError: CloudError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      this.signal?.throwIfAborted();
      const earlier = await this.findLaunch(plan.ids);
      if (earlier) return earlier;
      let cloudId: string;
      try {
        cloudId = await this.launchOnce(plan, sshKeyId);
      } catch (err) {
        lastError = toCloudError(err);
        if (!mayRelaunch(lastError)) throw lastError;
        this.logger.warn(
          { provider: PROVIDER_ID, refId: plan.ids.refId, attempt, code: lastError.code },
          'Shadeform launch failed or its outcome is unknown; looking for the instance before retrying',
        );
        if (attempt < attempts)
          await pauseBeforeRetry(attempt, lastError, this.options.retry, this.signal);
        continue;
      }
      return this.settle(cloudId, plan.ids);
    }
    const late = await this.findLaunch(plan.ids).catch(() => undefined);
    if (late) return late;
    throw lastError ?? new CloudError('INTERNAL', { message: 'launch instance: no attempt made' });
  }

  /** Everything a launch needs, checked; INVALID_ARGUMENT before any request otherwise. */
  private plan(attrs: ParsedAttrs): LaunchPlan {
    const ids = { refId: attrs.refId, cloudCredRefId: this.cloudCredRefId };
    const type = parseTypeName(attrs.instanceType);
    if (!type) {
      throw invalid(
        `instance type "${attrs.instanceType}" is not a Shadeform type name ("<cloud>.<shade_instance_type>", e.g. "hyperstack.A6000"; see the catalog)`,
      );
    }
    const script = bootScript(attrs);
    return {
      ids,
      cloud: type.cloud,
      shadeInstanceType: type.shadeInstanceType,
      region: attrs.location,
      name: attrs.name ?? `cloudplane-${attrs.refId}`,
      tags: [correlationTag(ids), ...encodeTags(attrs.tags)],
      ...(attrs.imageId !== undefined ? { os: attrs.imageId } : {}),
      ...(script !== undefined ? { script } : {}),
    };
  }

  private async launchOnce(plan: LaunchPlan, sshKeyId: string): Promise<string> {
    const result = await this.http.call({
      operation: `launch ${plan.cloud}.${plan.shadeInstanceType} in ${plan.region}`,
      schema: CreateResponse,
      replay: 'never',
      send: (client, init) =>
        client.POST('/instances/create', {
          body: {
            cloud: plan.cloud,
            region: plan.region,
            shade_instance_type: plan.shadeInstanceType,
            shade_cloud: true,
            name: plan.name,
            ssh_key_id: sshKeyId,
            tags: plan.tags,
            ...(plan.os !== undefined ? { os: plan.os } : {}),
            ...(plan.script !== undefined
              ? {
                  launch_configuration: {
                    type: 'script' as const,
                    script_configuration: {
                      base64_script: Buffer.from(plan.script).toString('base64'),
                    },
                  },
                }
              : {}),
          },
          parseAs: 'text',
          ...init,
        }),
    });
    return result.id;
  }

  /** Turns an accepted launch into the result, deleting the instance if that fails. */
  private async settle(cloudId: string, ids: CorrelationIds): Promise<Instance> {
    try {
      const instance = await this.getFresh(cloudId);
      if (instance.refId !== ids.refId || instance.cloudCredRefId !== ids.cloudCredRefId) {
        throw new CloudError('INTERNAL', {
          message: `instance ${cloudId} came back with other correlation data than it was launched with`,
        });
      }
      return instance;
    } catch (err) {
      throw await terminateOrExplain(cloudId, toCloudError(err), {
        terminate: (id) => this.terminateInstance(id),
        logger: this.logger,
        providerId: PROVIDER_ID,
        displayName: 'Shadeform',
      });
    }
  }

  /** Right after a launch Shadeform may not know the id yet; give it a few short tries. */
  private async getFresh(cloudId: string): Promise<Instance> {
    for (let attempt = 1; ; attempt++) {
      try {
        return this.mapOwn(await this.fetchInstance(cloudId), 'launched');
      } catch (err) {
        if (!isCloudError(err, 'INSTANCE_NOT_FOUND') || attempt >= this.options.retry.attempts)
          throw err;
        await pauseBeforeRetry(attempt, err, this.options.retry, this.signal);
      }
    }
  }

  /** A live (not deleting) instance launched for `ids`, if any. */
  private async findLaunch(ids: CorrelationIds): Promise<Instance | undefined> {
    const all = await this.listInstances();
    return all.find(
      (i) =>
        i.refId === ids.refId &&
        i.cloudCredRefId === ids.cloudCredRefId &&
        i.status.lifecycle !== 'terminating' &&
        i.status.lifecycle !== 'terminated',
    );
  }

  async getInstance(cloudId: string): Promise<Instance> {
    return this.mapOwn(await this.fetchInstance(cloudId), 'requested');
  }

  private fetchInstance(cloudId: string): Promise<InstanceWire> {
    return this.http.call({
      operation: `get instance ${cloudId}`,
      schema: InstanceInfoResponse,
      replay: 'idempotent',
      notFound: 'INSTANCE_NOT_FOUND',
      send: (client, init) =>
        client.GET('/instances/{id}/info', {
          params: { path: { id: cloudId } },
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
            message: `Shadeform did not keep the tags instance ${wire.id} was launched with, so it cannot be correlated`,
          })
        : new CloudError('INSTANCE_NOT_FOUND', {
            message: `instance ${wire.id} was not created by cloudplane (its tags carry no correlation data)`,
          });
    }
    return this.toInstance(wire, ids);
  }

  private toInstance(wire: InstanceWire, ids: CorrelationIds): Instance {
    return toInstance(wire, ids, () => this.seen(wire.id), this.logger);
  }

  /** Shadeform's list has no pages: one answer is the complete list (or the call fails). */
  async listInstances(args: ListInstancesArgs = {}): Promise<Instance[]> {
    if (isEmptyFilter(args)) return [];
    const { instances } = await this.http.call({
      operation: 'list instances',
      schema: InstancesResponse,
      replay: 'idempotent',
      send: (client, init) => client.GET('/instances', { parseAs: 'text', ...init }),
    });
    const ours: Instance[] = [];
    for (const wire of instances) {
      const ids = readCorrelation(wire.tags);
      if (ids) ours.push(this.toInstance(wire, ids));
      else {
        this.warnings.warn(
          `foreign:${wire.id}`,
          { cloudId: wire.id },
          'skipping a Shadeform instance cloudplane did not create (its tags carry no correlation data)',
        );
      }
    }
    return filterInstances(ours, args);
  }

  private seen(cloudId: string): Date {
    let at = this.firstSeen.get(cloudId);
    if (!at) {
      at = this.options.now();
      this.firstSeen.set(cloudId, at);
    }
    return at;
  }

  /** Idempotent: an instance that is gone, deleting or deleted counts as done. */
  async terminateInstance(cloudId: string): Promise<void> {
    try {
      await this.http.call({
        operation: `delete instance ${cloudId}`,
        schema: NoContent,
        replay: 'idempotent',
        notFound: 'INSTANCE_NOT_FOUND',
        send: (client, init) =>
          client.POST('/instances/{id}/delete', {
            params: { path: { id: cloudId } },
            parseAs: 'text',
            ...init,
          }),
      });
    } catch (err) {
      if (isCloudError(err, 'INSTANCE_NOT_FOUND')) return;
      // Shadeform may refuse to delete what is already on its way out: look before failing.
      if (isCloudError(err, 'INVALID_ARGUMENT') && (await this.state(cloudId)) !== 'live') return;
      throw err;
    }
  }

  private async state(cloudId: string): Promise<'gone' | 'ending' | 'live'> {
    try {
      const wire = await this.fetchInstance(cloudId);
      const { lifecycle } = statusMap.map(wire.status, { logger: this.logger });
      return lifecycle === 'terminating' || lifecycle === 'terminated' ? 'ending' : 'live';
    } catch (err) {
      if (isCloudError(err, 'INSTANCE_NOT_FOUND')) return 'gone';
      throw err;
    }
  }

  /** Restart is not idempotent enough to resend blindly: only a refused (429) request is. */
  private async restart(cloudId: string): Promise<void> {
    await this.http.call({
      operation: `restart instance ${cloudId}`,
      schema: NoContent,
      replay: 'if-refused',
      notFound: 'INSTANCE_NOT_FOUND',
      send: (client, init) =>
        client.POST('/instances/{id}/restart', {
          params: { path: { id: cloudId } },
          parseAs: 'text',
          ...init,
        }),
    });
  }

  /**
   * Merges `tags` into the instance's tags. Shadeform's update replaces the whole list, so the
   * current tags are read first and the correlation tag is written back unchanged.
   */
  private async updateTags(cloudId: string, tags: Tags): Promise<void> {
    const wire = await this.fetchInstance(cloudId);
    const ids = this.mapOwn(wire, 'requested');
    const body = {
      tags: [correlationTag(ids), ...encodeTags({ ...decodeTags(wire.tags), ...tags })],
    };
    await this.http.call({
      operation: `update tags of instance ${cloudId}`,
      schema: NoContent,
      replay: 'idempotent',
      notFound: 'INSTANCE_NOT_FOUND',
      send: (client, init) =>
        client.POST('/instances/{id}/update', {
          params: { path: { id: cloudId } },
          body,
          parseAs: 'text',
          ...init,
        }),
    });
  }
}

function invalid(what: string): CloudError {
  return new CloudError('INVALID_ARGUMENT', { message: `create instance: ${what}` });
}

/** The attrs, checked: what Shadeform's launch cannot honour is refused, not silently dropped. */
function parseAttrs(input: CreateInstanceAttrs): ParsedAttrs {
  const parsed = CreateInstanceAttrsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`${issue?.path.join('.') || 'attrs'}: ${issue?.message ?? 'invalid'}`);
  }
  const attrs = parsed.data;
  if (attrs.diskSize !== undefined) {
    throw invalid(
      'the disk size of a Shadeform instance is fixed by its type; launch without diskSize',
    );
  }
  if (attrs.subLocation !== undefined) {
    throw invalid('Shadeform regions have no zones; launch without subLocation');
  }
  return attrs;
}

/**
 * The startup script Shadeform runs once the machine is up: the SDK firewall installer in front
 * of the user's own script, or the user's script alone. Shadeform runs a script, not cloud-init,
 * so a `#cloud-config` document is refused.
 */
function bootScript(attrs: ParsedAttrs): string | undefined {
  const { userData, firewallRules: rules } = attrs;
  if (userData !== undefined && !userData.startsWith('#!')) {
    throw invalid(
      'Shadeform runs userData as a startup script: it must start with "#!" (cloud-init documents are not run)',
    );
  }
  if (!rules || (rules.ingress.length === 0 && rules.egress.length === 0)) return userData;
  try {
    return withFirewall(userData, rules);
  } catch (err) {
    throw invalid(`firewallRules: ${err instanceof Error ? err.message : String(err)}`);
  }
}
