import {
  instanceState,
  launchAllOrNothing,
  terminatedAnyway,
  WarnOnce,
  type CleanupOptions,
  type InstanceState,
} from '@cloudplane/provider-kit';
import {
  CloudError,
  CreateInstanceAttrsSchema,
  filterInstances,
  filterInstanceTypes,
  foreignInstance,
  isCloudError,
  isEmptyFilter,
  silentLogger,
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
} from '@cloudplane/sdk';
import { mapCatalog, PROVIDER_ID, type Catalog } from './catalog.js';
import { LAMBDA_DEFAULT_BASE_URL, type LambdaCredential } from './credential.js';
import { LambdaHttp, type RetryPolicy } from './http.js';
import { toInstance } from './instances.js';
import { instanceName, readInstanceName } from './naming.js';
import { sshKeyNameFor } from './ssh-keys.js';
import { statusMap } from './status.js';
import {
  InstanceResponse,
  InstancesResponse,
  InstanceTypesResponse,
  LaunchResponse,
  RestartResponse,
  TerminateResponse,
  type InstanceWire,
} from './wire.js';

export interface LambdaClientOptions {
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  /** The clock, for the launch minute kept in instance names. */
  readonly now: () => Date;
}

type ParsedAttrs = ReturnType<typeof CreateInstanceAttrsSchema.parse>;

/** A client for one Lambda API key. Lambda's API is global: one client sees every region. */
export class LambdaClient implements CloudClient {
  readonly providerId = PROVIDER_ID;
  readonly cloudCredRefId: string;
  readonly reboot: RebootOps;
  private readonly http: LambdaHttp;
  private readonly logger: Logger;
  private readonly signal: AbortSignal | undefined;
  /** Catalog warnings and foreign instances, each logged once. */
  private readonly warnings: WarnOnce;
  /** How a launch terminates an instance it cannot hand over. */
  private readonly cleanup: CleanupOptions;
  /** When this client first saw each instance, for names too full to keep the launch minute. */
  private readonly firstSeen = new Map<string, Date>();

  constructor(
    context: ClientContext<LambdaCredential>,
    private readonly options: LambdaClientOptions,
  ) {
    this.cloudCredRefId = context.cloudCredRefId;
    this.logger = context.logger ?? silentLogger;
    this.signal = context.signal;
    this.warnings = new WarnOnce(this.logger, PROVIDER_ID);
    this.http = new LambdaHttp({
      baseUrl: context.credential.baseUrl ?? LAMBDA_DEFAULT_BASE_URL,
      apiKey: context.credential.apiKey,
      fetch: context.fetch ?? globalThis.fetch,
      logger: this.logger,
      retry: options.retry,
      timeoutMs: options.timeoutMs,
      signal: context.signal,
    });
    this.cleanup = {
      terminate: (cloudId) => this.terminateInstance(cloudId),
      logger: this.logger,
      providerId: PROVIDER_ID,
      displayName: 'Lambda',
    };
    this.reboot = { rebootInstance: (cloudId) => this.restart(cloudId) };
  }

  async getLocations(): Promise<Location[]> {
    return (await this.catalog()).locations;
  }

  async getInstanceTypes(args: GetInstanceTypesArgs = {}): Promise<InstanceType[]> {
    if (isEmptyFilter(args)) return [];
    return filterInstanceTypes((await this.catalog()).types, args);
  }

  private async catalog(): Promise<Catalog> {
    const { data } = await this.http.call({
      operation: 'list instance types',
      schema: InstanceTypesResponse,
      replay: 'idempotent',
      send: (client, init) => client.GET('/instance-types', { parseAs: 'text', ...init }),
    });
    return mapCatalog(data, this.warnings);
  }

  /** Launch, all or nothing: see launchAllOrNothing. */
  async createInstance(input: CreateInstanceAttrs): Promise<Instance> {
    const attrs = parseAttrs(input);
    const ids: CorrelationIds = { refId: attrs.refId, cloudCredRefId: this.cloudCredRefId };
    const name = instanceName(ids, this.options.now(), attrs.name);
    const sshKeyName = await sshKeyNameFor(this.http, attrs.publicKey, ids, this.logger);
    return launchAllOrNothing({
      ...this.cleanup,
      ids,
      launch: () => this.launchOnce(attrs, name, sshKeyName),
      list: () => this.listInstances(),
      get: async (cloudId) => this.mapOwn(await this.fetchInstance(cloudId), 'launched'),
      policy: this.options.retry,
      signal: this.signal,
    });
  }

  private async launchOnce(attrs: ParsedAttrs, name: string, sshKeyName: string) {
    const result = await this.http.call({
      operation: `launch ${attrs.instanceType} in ${attrs.location}`,
      schema: LaunchResponse,
      replay: 'never',
      send: (client, init) =>
        client.POST('/instance-operations/launch', {
          body: {
            region_name: attrs.location,
            instance_type_name: attrs.instanceType,
            ssh_key_names: [sshKeyName],
            quantity: 1,
            name,
          },
          parseAs: 'text',
          ...init,
        }),
    });
    return result.data.instance_ids;
  }

  async getInstance(cloudId: string): Promise<Instance> {
    return this.mapOwn(await this.fetchInstance(cloudId), 'requested');
  }

  private async fetchInstance(cloudId: string): Promise<InstanceWire> {
    const { data } = await this.http.call({
      operation: `get instance ${cloudId}`,
      schema: InstanceResponse,
      replay: 'idempotent',
      notFound: 'INSTANCE_NOT_FOUND',
      send: (client, init) =>
        client.GET('/instances/{id}', {
          params: { path: { id: cloudId } },
          parseAs: 'text',
          ...init,
        }),
    });
    return data;
  }

  /** Maps an instance asked for by id; one cloudplane did not create is not ours to report. */
  private mapOwn(wire: InstanceWire, how: 'requested' | 'launched'): Instance {
    const name = readInstanceName(wire.name);
    if (!name) {
      throw how === 'launched'
        ? new CloudError('INTERNAL', {
            message: `Lambda did not keep the name instance ${wire.id} was launched with, so it cannot be correlated`,
          })
        : foreignInstance(
            wire.id,
            'its name carries no correlation data',
            statusMap.map(wire.status, { logger: this.logger }).lifecycle,
          );
    }
    return toInstance(wire, name, this.seen(wire.id), this.logger);
  }

  /** Lambda's list has no pages: one answer is the complete list (or the call fails). */
  async listInstances(args: ListInstancesArgs = {}): Promise<Instance[]> {
    if (isEmptyFilter(args)) return [];
    const { data } = await this.http.call({
      operation: 'list instances',
      schema: InstancesResponse,
      replay: 'idempotent',
      send: (client, init) => client.GET('/instances', { parseAs: 'text', ...init }),
    });
    const ours: Instance[] = [];
    for (const wire of data) {
      const name = readInstanceName(wire.name);
      if (name) ours.push(toInstance(wire, name, this.seen(wire.id), this.logger));
      else {
        this.warnings.warn(
          `foreign:${wire.id}`,
          { cloudId: wire.id },
          'skipping a Lambda instance cloudplane did not create (its name carries no correlation data)',
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

  /** Idempotent: an instance that is gone, terminating or terminated counts as done. */
  async terminateInstance(cloudId: string): Promise<void> {
    try {
      const { data } = await this.http.call({
        operation: `terminate instance ${cloudId}`,
        schema: TerminateResponse,
        replay: 'idempotent',
        notFound: 'INSTANCE_NOT_FOUND',
        send: (client, init) =>
          client.POST('/instance-operations/terminate', {
            body: { instance_ids: [cloudId] },
            parseAs: 'text',
            ...init,
          }),
      });
      if (data.terminated_instances.some((i) => i.id === cloudId)) return;
    } catch (err) {
      // Lambda may refuse to terminate what is already on its way out: look before failing.
      if (await terminatedAnyway(err, () => this.state(cloudId))) return;
      throw err;
    }
    // The spec allows the answer to leave out instances it did not terminate: look.
    if ((await this.state(cloudId)) !== 'live') return;
    throw new CloudError('INTERNAL', {
      message: `terminate instance ${cloudId}: Lambda did not confirm the termination and the instance is still live`,
    });
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
    const { data } = await this.http.call({
      operation: `restart instance ${cloudId}`,
      schema: RestartResponse,
      replay: 'if-refused',
      notFound: 'INSTANCE_NOT_FOUND',
      send: (client, init) =>
        client.POST('/instance-operations/restart', {
          body: { instance_ids: [cloudId] },
          parseAs: 'text',
          ...init,
        }),
    });
    if (data.restarted_instances.some((i) => i.id === cloudId)) return;
    // The spec lets the answer leave out instances it did not restart: look before saying done.
    let status: string;
    try {
      status = (await this.fetchInstance(cloudId)).status;
    } catch (err) {
      if (!isCloudError(err, 'INSTANCE_NOT_FOUND')) throw err;
      throw new CloudError('INSTANCE_NOT_FOUND', {
        message: `restart instance ${cloudId}: no such instance`,
      });
    }
    const lifecycle = statusMap.map(status, { logger: this.logger }).lifecycle;
    if (lifecycle === 'terminating' || lifecycle === 'terminated') {
      throw new CloudError('INVALID_ARGUMENT', {
        message: `restart instance ${cloudId}: the instance is terminating or terminated`,
      });
    }
    // Booting is the restart under way; anything else is a restart Lambda declined. Said as a
    // refusal, so the control plane shows it rather than sending a second reboot on its own.
    if (status === 'booting') return;
    throw new CloudError('INVALID_ARGUMENT', {
      message: `restart instance ${cloudId}: Lambda did not restart it (left out of restarted_instances) and it is still ${status}; reboot again`,
    });
  }
}

/**
 * The attrs, checked: what Lambda's launch cannot honour is refused rather than silently dropped.
 * Tags are the exception: Lambda keeps none, and the provider does not declare `tags`.
 */
function parseAttrs(input: CreateInstanceAttrs): ParsedAttrs {
  const parsed = CreateInstanceAttrsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CloudError('INVALID_ARGUMENT', {
      message: `create instance: ${issue?.path.join('.') || 'attrs'}: ${issue?.message ?? 'invalid'}`,
    });
  }
  const attrs = parsed.data;
  const refuse = (what: string) =>
    new CloudError('INVALID_ARGUMENT', { message: `create instance: ${what}` });
  const rules = attrs.firewallRules;
  if (rules && (rules.ingress.length > 0 || rules.egress.length > 0)) {
    throw refuse(
      'Lambda has no firewall API this adapter can use, so firewall rules cannot be applied (firewallAtCreate: unsupported); launch without firewallRules',
    );
  }
  if (attrs.userData !== undefined) {
    throw refuse("Lambda's launch API takes no boot script (userData); launch without it");
  }
  if (attrs.imageId !== undefined) {
    throw refuse("Lambda's launch API takes no image; launch without imageId");
  }
  if (attrs.diskSize !== undefined) {
    throw refuse(
      'the disk size of a Lambda instance is fixed by its type; launch without diskSize',
    );
  }
  if (attrs.subLocation !== undefined) {
    throw refuse('Lambda regions have no zones; launch without subLocation');
  }
  return attrs;
}
