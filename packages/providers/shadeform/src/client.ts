import {
  instanceState,
  launchAllOrNothing,
  terminatedAnyway,
  WarnOnce,
  type InstanceState,
  type RetryPolicy,
} from '@cloudplane/provider-kit';
import {
  CloudError,
  CreateInstanceAttrsSchema,
  filterInstances,
  filterInstanceTypes,
  foreignInstance,
  isEmptyFilter,
  silentLogger,
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
import { ShadeformHttp, type Call, type Replay } from './http.js';
import { toInstance } from './instances.js';
import {
  checkCallerTags,
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

  /** Launch, all or nothing: see launchAllOrNothing. */
  async createInstance(input: CreateInstanceAttrs): Promise<Instance> {
    const plan = this.plan(parseAttrs(input));
    const sshKeyId = await sshKeyIdFor(this.http, input.publicKey, plan.ids, this.logger);
    return launchAllOrNothing({
      ids: plan.ids,
      launch: async () => [await this.launchOnce(plan, sshKeyId)],
      list: () => this.listInstances(),
      get: async (cloudId) => this.mapOwn(await this.fetchInstance(cloudId), 'launched'),
      terminate: (cloudId) => this.terminateInstance(cloudId),
      policy: this.options.retry,
      signal: this.signal,
      logger: this.logger,
      providerId: PROVIDER_ID,
      displayName: 'Shadeform',
    });
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
    checkCallerTags(attrs.tags);
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

  async getInstance(cloudId: string): Promise<Instance> {
    return this.mapOwn(await this.fetchInstance(cloudId), 'requested');
  }

  private fetchInstance(cloudId: string): Promise<InstanceWire> {
    return this.http.call({
      operation: `get instance ${cloudId}`,
      schema: InstanceInfoResponse,
      replay: 'idempotent',
      notFound: 'INSTANCE_NOT_FOUND',
      send: (client, init) => client.GET('/instances/{id}/info', onInstance(cloudId, init)),
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
        : foreignInstance(
            wire.id,
            'its tags carry no correlation data',
            statusMap.map(wire.status, { logger: this.logger }).lifecycle,
          );
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
      await this.act(`delete instance ${cloudId}`, 'idempotent', (client, init) =>
        client.POST('/instances/{id}/delete', onInstance(cloudId, init)),
      );
    } catch (err) {
      // Shadeform may refuse to delete what is already on its way out: look before failing.
      if (await terminatedAnyway(err, () => this.state(cloudId))) return;
      throw err;
    }
  }

  private state(cloudId: string): Promise<InstanceState> {
    return instanceState(
      async () =>
        statusMap.map((await this.fetchInstance(cloudId)).status, { logger: this.logger })
          .lifecycle,
    );
  }

  /** Restart is not idempotent enough to resend blindly: only a refused (429) request is. */
  private async restart(cloudId: string): Promise<void> {
    await this.act(`restart instance ${cloudId}`, 'if-refused', (client, init) =>
      client.POST('/instances/{id}/restart', onInstance(cloudId, init)),
    );
  }

  /**
   * Merges `tags` into the instance's tags. Shadeform's update replaces the whole list, so the
   * current tags are read first and the correlation tag is written back unchanged.
   */
  private async updateTags(cloudId: string, tags: Tags): Promise<void> {
    checkCallerTags(tags);
    const wire = await this.fetchInstance(cloudId);
    const ids = this.mapOwn(wire, 'requested');
    const body = {
      tags: [correlationTag(ids), ...encodeTags({ ...decodeTags(wire.tags), ...tags })],
    };
    await this.act(`update tags of instance ${cloudId}`, 'idempotent', (client, init) =>
      client.POST('/instances/{id}/update', { ...onInstance(cloudId, init), body }),
    );
  }

  /** A request on one instance that answers nothing (delete, restart, update). */
  private async act(operation: string, replay: Replay, send: Call<unknown>['send']) {
    await this.http.call({
      operation,
      schema: NoContent,
      replay,
      notFound: 'INSTANCE_NOT_FOUND',
      send,
    });
  }
}

/** The options of a request on one instance: its id in the path, the answer read as text. */
function onInstance<I extends { signal: AbortSignal }>(cloudId: string, init: I) {
  return { params: { path: { id: cloudId } }, parseAs: 'text' as const, ...init };
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
