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
  correlatedOnly,
  CreateInstanceAttrsSchema,
  filterInstances,
  filterInstanceTypes,
  foreignInstance,
  instanceTypeId,
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
  type StopStartOps,
  type TagOps,
  type Tags,
} from '@cloudplane/sdk';
import { mapCatalog, PROVIDER_ID, type Catalog, type Offer } from './catalog.js';
import {
  experienceFields,
  LAUNCHPAD_DEFAULT_BASE_URL,
  type LaunchPadCredential,
} from './credential.js';
import { LaunchPadHttp, type LaunchPadApi } from './http.js';
import { toInstance } from './instances.js';
import { checkedCallerTags, launchTags, readCorrelation, readTags } from './naming.js';
import { allPages, PAGE_SIZE } from './pages.js';
import { statusMap, TASK_STATUS_TABLE, type TaskStatus } from './status.js';
import {
  DeploymentsPage,
  DeploymentTaskWire,
  DeploymentWire,
  Ignored,
  InstanceTypesPage,
} from './wire.js';

export interface LaunchPadClientOptions {
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  /** The clock, for deployments whose creation time LaunchPad does not give. */
  readonly now: () => Date;
}

type ParsedAttrs = ReturnType<typeof CreateInstanceAttrsSchema.parse>;

/** What a launch sends, worked out (and checked) before the deployment request. */
interface LaunchPlan {
  readonly ids: CorrelationIds;
  readonly offer: Offer;
  readonly publicKey: string;
  readonly tags: Record<string, string>;
}

/**
 * A client for one LaunchPad API token. The API is global: one client sees every region. A
 * deployment is the instance: created with the catalog entry's GPU, cloud and region as its
 * requirements, the launching user's key as its `public_key`, and cloudplane's correlation in its
 * tags; stopped and started with deployment tasks; destroyed with DELETE.
 */
export class LaunchPadClient implements CloudClient {
  readonly providerId = PROVIDER_ID;
  readonly cloudCredRefId: string;
  readonly stopStart: StopStartOps;
  readonly tags: TagOps;
  private readonly http: LaunchPadHttp;
  private readonly credential: LaunchPadCredential;
  private readonly logger: Logger;
  private readonly signal: AbortSignal | undefined;
  /** Catalog warnings and foreign deployments, each logged once. */
  private readonly warnings: WarnOnce;
  /** When this client first saw each deployment, for answers without a creation time. */
  private readonly firstSeen = new Map<string, Date>();

  constructor(
    context: ClientContext<LaunchPadCredential>,
    private readonly options: LaunchPadClientOptions,
  ) {
    this.cloudCredRefId = context.cloudCredRefId;
    this.credential = context.credential;
    this.logger = context.logger ?? silentLogger;
    this.signal = context.signal;
    this.warnings = new WarnOnce(this.logger, PROVIDER_ID);
    this.http = new LaunchPadHttp({
      baseUrl: context.credential.baseUrl ?? LAUNCHPAD_DEFAULT_BASE_URL,
      apiToken: context.credential.apiToken,
      fetch: context.fetch ?? globalThis.fetch,
      logger: this.logger,
      retry: options.retry,
      timeoutMs: options.timeoutMs,
      signal: context.signal,
    });
    this.stopStart = {
      stopInstance: (cloudId) => this.runTask(cloudId, 'stop_instances'),
      startInstance: (cloudId) => this.runTask(cloudId, 'start_instances'),
    };
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
    const entries = await allPages('list instance types', (page) =>
      this.http.call({
        operation: `list instance types (page ${page})`,
        schema: InstanceTypesPage,
        replay: 'idempotent',
        send: (client, init) =>
          client.GET('/v1/catalog/instance-types/', {
            params: { query: { page, page_size: PAGE_SIZE } },
            parseAs: 'text',
            ...init,
          }),
      }),
    );
    return mapCatalog(entries, { warnings: this.warnings, prices: this.credential.prices });
  }

  /** Launch, all or nothing: see launchAllOrNothing. */
  async createInstance(input: CreateInstanceAttrs): Promise<Instance> {
    const plan = await this.plan(parseAttrs(input));
    return launchAllOrNothing({
      ids: plan.ids,
      launch: async () => [await this.launchOnce(plan)],
      list: () => this.listInstances(),
      get: async (cloudId) => this.mapOwn(await this.fetchDeployment(cloudId), 'launched'),
      terminate: (cloudId) => this.terminateInstance(cloudId),
      policy: this.options.retry,
      signal: this.signal,
      logger: this.logger,
      providerId: PROVIDER_ID,
      displayName: 'LaunchPad',
    });
  }

  /**
   * Finds the offer in the catalog: the deployment request needs its exact cloud, GPU model and
   * workshop, and the catalog's per-region capacity is how LaunchPad tells us it is out of
   * stock (a deployment asked for anyway would wait for a cluster instead of failing).
   */
  private async plan(attrs: ParsedAttrs): Promise<LaunchPlan> {
    const ids = { refId: attrs.refId, cloudCredRefId: this.cloudCredRefId };
    const tags = launchTags(
      { ...ids, instanceType: attrs.instanceType, location: attrs.location, name: attrs.name },
      attrs.tags,
    );
    const { offers } = await this.catalog();
    const offer = offers.get(
      instanceTypeId({ location: attrs.location, type: attrs.instanceType }),
    );
    if (!offer) {
      throw invalid(
        `LaunchPad's catalog has no instance type "${attrs.instanceType}" in "${attrs.location}"`,
      );
    }
    if (!offer.type.available) {
      throw new CloudError('INSUFFICIENT_CAPACITY', {
        message: `create instance: LaunchPad reports no capacity for ${attrs.instanceType} in ${attrs.location}`,
      });
    }
    return { ids, offer, publicKey: attrs.publicKey.trim(), tags };
  }

  private async launchOnce(plan: LaunchPlan): Promise<string> {
    const { wire, type } = plan.offer;
    const workshop = wire.workshop_id?.trim() ?? '';
    const { credential } = this;
    const created = await this.http.call({
      operation: `create deployment of ${type.type} in ${type.location}`,
      schema: DeploymentWire,
      replay: 'never',
      send: (client, init) =>
        client.POST('/v1/catalog/deployments/', {
          body: {
            ...experienceFields(credential),
            org_name: credential.orgName,
            requester_name: credential.requesterName,
            requester_email: credential.requesterEmail,
            ...(credential.requestId !== undefined ? { request_id: credential.requestId } : {}),
            ...(credential.lifetimeDays !== undefined ? { lifetime: credential.lifetimeDays } : {}),
            provider_name: wire.cloud,
            region: type.location,
            gpu_model: wire.gpu.model,
            gpu_count: wire.gpu.count,
            // One machine: a catalog type describes one node.
            node_count: 1,
            ...(workshop !== '' ? { workshop: true, workshop_id: workshop } : {}),
            public_key: plan.publicKey,
            tags: plan.tags,
            // Required by the schema (not marked read-only); a new deployment has none.
            pipelines: [],
            services: [],
          },
          parseAs: 'text',
          ...init,
        }),
    });
    return created.id;
  }

  async getInstance(cloudId: string): Promise<Instance> {
    return this.mapOwn(await this.fetchDeployment(cloudId), 'requested');
  }

  private fetchDeployment(cloudId: string): Promise<DeploymentWire> {
    return this.http.call({
      operation: `get deployment ${cloudId}`,
      schema: DeploymentWire,
      replay: 'idempotent',
      notFound: 'INSTANCE_NOT_FOUND',
      send: (client, init) =>
        client.GET('/v1/catalog/deployments/{id}/', {
          params: { path: { id: cloudId }, query: { expand: 'cluster' } },
          parseAs: 'text',
          ...init,
        }),
    });
  }

  /** Maps a deployment asked for by id; one cloudplane did not create is not ours to report. */
  private mapOwn(wire: DeploymentWire, how: 'requested' | 'launched'): Instance {
    const tags = readTags(wire.tags);
    const ids = readCorrelation(tags);
    if (!ids) {
      throw how === 'launched'
        ? new CloudError('INTERNAL', {
            message: `LaunchPad did not keep the tags deployment ${wire.id} was created with, so it cannot be correlated`,
          })
        : foreignInstance(
            wire.id,
            'its tags carry no correlation data',
            statusMap.map(wire.state, { logger: this.logger }).lifecycle,
          );
    }
    return this.toInstance(wire, ids, tags);
  }

  private toInstance(
    wire: DeploymentWire,
    ids: CorrelationIds,
    tags: Record<string, string>,
  ): Instance {
    return toInstance(wire, ids, tags, {
      logger: this.logger,
      warnings: this.warnings,
      firstSeen: () => this.seen(wire.id),
    });
  }

  /**
   * Every deployment of the account that carries cloudplane's tags, destroyed ones left out
   * (LaunchPad keeps them listed forever). Oldest first, so that pages do not shift as new
   * deployments arrive.
   */
  async listInstances(args: ListInstancesArgs = {}): Promise<Instance[]> {
    if (isEmptyFilter(args)) return [];
    const deployments = await allPages(
      'list deployments',
      (page) =>
        this.http.call({
          operation: `list deployments (page ${page})`,
          schema: DeploymentsPage,
          replay: 'idempotent',
          send: (client, init) =>
            client.GET('/v1/catalog/deployments/', {
              params: {
                query: {
                  expand: 'cluster',
                  state_not: ['destroyed'],
                  ordering: 'created',
                  page,
                  page_size: PAGE_SIZE,
                },
              },
              parseAs: 'text',
              ...init,
            }),
        }),
      (d) => d.id,
    );
    const ours = correlatedOnly(
      deployments.map((wire) => ({ wire, tags: readTags(wire.tags) })),
      {
        correlate: ({ tags }) => readCorrelation(tags),
        cloudIdOf: ({ wire }) => wire.id,
        warnings: this.warnings,
        message:
          'skipping a LaunchPad deployment cloudplane did not create (its tags carry no correlation data)',
      },
    );
    return filterInstances(
      ours.map(({ item, ids }) => this.toInstance(item.wire, ids, item.tags)),
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

  /** Idempotent: a deployment that is gone, destroying or destroyed counts as done. */
  async terminateInstance(cloudId: string): Promise<void> {
    try {
      await this.http.call({
        operation: `destroy deployment ${cloudId}`,
        schema: Ignored,
        replay: 'idempotent',
        notFound: 'INSTANCE_NOT_FOUND',
        send: (client, init) =>
          client.DELETE('/v1/catalog/deployments/{id}/', {
            params: { path: { id: cloudId } },
            parseAs: 'text',
            ...init,
          }),
      });
    } catch (err) {
      // LaunchPad may refuse to destroy what is already on its way out: look before failing.
      if (await terminatedAnyway(err, () => this.state(cloudId))) return;
      throw err;
    }
  }

  private state(cloudId: string): Promise<InstanceState> {
    return instanceState(
      async () =>
        statusMap.map((await this.fetchDeployment(cloudId)).state, { logger: this.logger })
          .lifecycle,
    );
  }

  /**
   * Stop and start are deployment tasks (a beta part of the API). A task is not safe to send
   * twice, so only a refused (429) request is sent again.
   */
  private async runTask(
    cloudId: string,
    action: 'stop_instances' | 'start_instances',
  ): Promise<void> {
    const task = await this.http.call({
      operation: `${action === 'stop_instances' ? 'stop' : 'start'} deployment ${cloudId}`,
      schema: DeploymentTaskWire,
      replay: 'if-refused',
      notFound: 'INSTANCE_NOT_FOUND',
      send: (client, init) =>
        client.POST('/v1/catalog/deployments/{deployment_id}/tasks/', {
          params: { path: { deployment_id: cloudId } },
          body: { action, deployment: cloudId },
          parseAs: 'text',
          ...init,
        }),
    });
    const status = task.status ?? 'pending';
    if (isTaskStatus(status) && TASK_STATUS_TABLE[status] === 'failed') {
      throw new CloudError('INTERNAL', {
        message: `${action} on deployment ${cloudId}: LaunchPad's task failed${task.status_text ? ` (${task.status_text})` : ''}`,
      });
    }
  }

  /**
   * Merges `tags` into the deployment's tags. LaunchPad's PATCH replaces the whole tags object,
   * so the current tags are read first and cloudplane's own are written back unchanged.
   */
  private async updateTags(cloudId: string, tags: Tags): Promise<void> {
    const wire = await this.fetchDeployment(cloudId);
    this.mapOwn(wire, 'requested');
    const merged = {
      ...readTags(wire.tags),
      ...checkedCallerTags(tags, `update tags of deployment ${cloudId}`),
    };
    await this.http.call({
      operation: `update tags of deployment ${cloudId}`,
      schema: Ignored,
      replay: 'idempotent',
      notFound: 'INSTANCE_NOT_FOUND',
      send: (client, init) => patchTags(client, cloudId, merged, init),
    });
  }
}

/**
 * PATCH is a partial update, but the spec gives it the full DeploymentUpdate schema, whose
 * writable required fields (pipelines, services, pipeline, persist_on_failure) would overwrite
 * the deployment if they were sent. Only `tags` is sent; the cast tells the generated (full) type that
 * this body is partial.
 */
function patchTags(
  client: LaunchPadApi,
  cloudId: string,
  tags: Record<string, string>,
  init: { signal: AbortSignal },
) {
  const partial = { tags };
  return client.PATCH('/v1/catalog/deployments/{id}/', {
    params: { path: { id: cloudId } },
    body: partial as never,
    parseAs: 'text',
    ...init,
  });
}

function isTaskStatus(status: string): status is TaskStatus {
  return Object.hasOwn(TASK_STATUS_TABLE, status);
}

function invalid(what: string): CloudError {
  return new CloudError('INVALID_ARGUMENT', { message: `create instance: ${what}` });
}

/** The attrs, checked: what a deployment request cannot honour is refused, not dropped. */
function parseAttrs(input: CreateInstanceAttrs): ParsedAttrs {
  const parsed = CreateInstanceAttrsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`${issue?.path.join('.') || 'attrs'}: ${issue?.message ?? 'invalid'}`);
  }
  const attrs = parsed.data;
  const rules = attrs.firewallRules;
  if (rules && (rules.ingress.length > 0 || rules.egress.length > 0)) {
    throw invalid(
      'LaunchPad cannot apply firewall rules (firewallAtCreate: unsupported; its ip_allowlist admits whole hosts and would close SSH to everyone else); launch without firewallRules',
    );
  }
  if (attrs.userData !== undefined) {
    throw invalid(
      "LaunchPad's deployment schema takes no boot script (userData); launch without it",
    );
  }
  if (attrs.imageId !== undefined) {
    throw invalid(
      'what a LaunchPad deployment installs is the experience named in the credential; launch without imageId',
    );
  }
  if (attrs.diskSize !== undefined) {
    throw invalid(
      'the disks of a LaunchPad instance are fixed by its type; launch without diskSize',
    );
  }
  if (attrs.subLocation !== undefined) {
    throw invalid('LaunchPad regions have no zones; launch without subLocation');
  }
  return attrs;
}
