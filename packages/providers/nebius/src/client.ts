import { randomBytes, randomUUID } from 'node:crypto';
import {
  instanceState,
  launchAllOrNothing,
  terminateOrExplain,
  terminatedAnyway,
  WarnOnce,
  type CleanupOptions,
  type InstanceState,
  type RetryPolicy,
} from '@cloudplane/provider-kit';
import {
  CloudError,
  correlatedOnly,
  filterInstances,
  filterInstanceTypes,
  foreignInstance,
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
} from '@cloudplane/sdk';
import { mapCatalog, PROVIDER_ID } from './catalog.js';
import type { NebiusCredential } from './credential.js';
import { correlationOf, toInstance } from './instances.js';
import { createRequest, parseAttrs, type LaunchPlan } from './launch.js';
import { awaitOperation, readOperation } from './operations.js';
import { pageThrough } from './pages.js';
import { locationOf } from './regions.js';
import { NebiusRpc, type Invoke, type Stubs } from './rpc.js';
import { statusMap } from './status.js';
import {
  InstanceWire,
  parseOrThrow,
  PlatformWire,
  ProjectWire,
  SubnetWire,
  type OperationWire,
} from './wire.js';

export interface NebiusClientOptions {
  readonly retry: RetryPolicy;
  /** Deadline of one call. */
  readonly timeoutMs: number;
  /** How often a running operation is read again. */
  readonly operationPollMs: number;
  /** How long createInstance waits for Nebius to finish creating (see docs, "Launch"). */
  readonly createWaitMs: number;
  /** The clock of the IAM token cache (tests). */
  readonly now?: () => number;
}

/**
 * A client for one Nebius project. Nebius's API hosts are global (proto/endpoints.md) and a
 * project lives in one region, so a client serves exactly that region.
 */
export class NebiusClient implements CloudClient {
  readonly providerId = PROVIDER_ID;
  readonly cloudCredRefId: string;
  readonly stopStart: StopStartOps;
  private readonly rpc: NebiusRpc;
  private readonly credential: NebiusCredential;
  private readonly logger: Logger;
  private readonly signal: AbortSignal | undefined;
  private readonly warnings: WarnOnce;
  private readonly cleanup: CleanupOptions;
  /** A project never changes region, and the subnet choice holds for the client's life. */
  private region: Promise<string> | undefined;
  private subnet: Promise<string> | undefined;

  constructor(
    context: ClientContext<NebiusCredential>,
    private readonly options: NebiusClientOptions,
  ) {
    this.credential = context.credential;
    this.cloudCredRefId = context.cloudCredRefId;
    this.logger = context.logger ?? silentLogger;
    this.signal = context.signal;
    this.warnings = new WarnOnce(this.logger, PROVIDER_ID);
    this.rpc = new NebiusRpc(context.credential, {
      retry: options.retry,
      timeoutMs: options.timeoutMs,
      logger: this.logger,
      signal: context.signal,
      ...(options.now ? { now: options.now } : {}),
    });
    this.cleanup = {
      terminate: (cloudId) => this.terminateInstance(cloudId),
      logger: this.logger,
      providerId: PROVIDER_ID,
      displayName: 'Nebius',
    };
    this.stopStart = {
      stopInstance: (cloudId) => this.change(cloudId, 'stop'),
      startInstance: (cloudId) => this.change(cloudId, 'start'),
    };
  }

  /** Closes the gRPC channels (the client's abort signal does it too). */
  close(): void {
    this.rpc.close();
  }

  async getLocations(): Promise<Location[]> {
    return [locationOf(await this.projectRegion())];
  }

  async getInstanceTypes(args: GetInstanceTypesArgs = {}): Promise<InstanceType[]> {
    if (isEmptyFilter(args)) return [];
    const region = await this.projectRegion();
    const parentId = this.credential.projectId;
    const raw = await pageThrough(
      'list platforms',
      (pageToken) => ({
        operation: 'list platforms',
        replay: 'idempotent',
        invoke: (s) => (md, opts, done) =>
          s.platforms.list({ parentId, pageSize: '100', pageToken }, md, opts, done),
      }),
      this.rpc,
    );
    const platforms = raw.map((p) => parseOrThrow(PlatformWire, p, 'list platforms'));
    const types = mapCatalog({
      platforms,
      region,
      prices: this.credential.prices,
      currency: this.credential.currency,
      warnings: this.warnings,
    });
    return filterInstanceTypes(types, args);
  }

  /** Launch, all or nothing: see launchAllOrNothing and docs/providers/nebius.md. */
  async createInstance(input: CreateInstanceAttrs): Promise<Instance> {
    const region = await this.projectRegion();
    const attrs = parseAttrs(input, region);
    const ids: CorrelationIds = { refId: attrs.refId, cloudCredRefId: this.cloudCredRefId };
    const plan: LaunchPlan = {
      attrs,
      ids,
      projectId: this.credential.projectId,
      subnetId: await this.subnetId(),
      imageFamily: this.credential.imageFamily,
      suffix: randomBytes(4).toString('hex'),
      // One key for every attempt: a resent create that Nebius already ran is answered, not rerun.
      idempotencyKey: randomUUID(),
    };
    const request = createRequest(plan);
    return launchAllOrNothing({
      ...this.cleanup,
      ids,
      launch: async () => [await this.launchOnce(request, plan.idempotencyKey)],
      list: () => this.listInstances(),
      get: async (cloudId) => this.mapOwn(await this.fetchInstance(cloudId), 'launched', region),
      policy: this.options.retry,
      signal: this.signal,
    });
  }

  /**
   * Sends Create once and waits for the operation. A failed operation that left an instance
   * behind (Nebius keeps it, in ERROR) is terminated before the error is thrown.
   */
  private async launchOnce(
    request: ReturnType<typeof createRequest>,
    idempotencyKey: string,
  ): Promise<string> {
    const operation = `create instance ${request.metadata.name}`;
    const first = readOperation(
      await this.rpc.call({
        operation,
        replay: 'never',
        idempotencyKey,
        invoke: (s) => (md, opts, done) => s.instances.create(request, md, opts, done),
      }),
      operation,
    );
    try {
      const outcome = await awaitOperation(this.rpc, first, {
        operation,
        notFound: 'RESOURCE_NOT_FOUND',
        waitMs: this.options.createWaitMs,
        pollMs: this.options.operationPollMs,
        signal: this.signal,
      });
      if (!outcome.done) {
        this.logger.info(
          { provider: PROVIDER_ID, operationId: first.id, cloudId: first.resourceId },
          'Nebius is still creating the instance; handing it over as pending',
        );
      }
    } catch (err) {
      if (first.resourceId === '' || !(err instanceof CloudError)) throw err;
      throw await terminateOrExplain(first.resourceId, err, this.cleanup);
    }
    if (first.resourceId === '') {
      throw new CloudError('INTERNAL', {
        message: `${operation}: Nebius accepted the create but named no instance`,
      });
    }
    return first.resourceId;
  }

  async getInstance(cloudId: string): Promise<Instance> {
    return this.mapOwn(await this.fetchInstance(cloudId), 'requested', await this.projectRegion());
  }

  private async fetchInstance(cloudId: string): Promise<InstanceWire> {
    const operation = `get instance ${cloudId}`;
    const raw = await this.rpc.call({
      operation,
      replay: 'idempotent',
      notFound: 'INSTANCE_NOT_FOUND',
      invoke: (s) => (md, opts, done) => s.instances.get({ id: cloudId }, md, opts, done),
    });
    return parseOrThrow(InstanceWire, raw, operation);
  }

  /** An instance asked for by id; one cloudplane did not create (here) is not ours to report. */
  private mapOwn(wire: InstanceWire, how: 'requested' | 'launched', region: string): Instance {
    const ids = correlationOf(wire);
    if (!ids || wire.metadata.parentId !== this.credential.projectId) {
      if (how === 'launched') {
        throw new CloudError('INTERNAL', {
          message: `instance ${wire.metadata.id} came back without the labels it was created with, so it cannot be correlated`,
        });
      }
      // Another project's instance is none of this credential's; one here without our labels
      // exists all the same (foreignInstance says why that is no INSTANCE_NOT_FOUND).
      throw wire.metadata.parentId !== this.credential.projectId
        ? new CloudError('INSTANCE_NOT_FOUND', {
            message: `instance ${wire.metadata.id} is not in project ${this.credential.projectId}`,
          })
        : foreignInstance(
            wire.metadata.id,
            'its labels carry no correlation data',
            statusMap.map(wire.status?.state ?? 'UNSPECIFIED', { logger: this.logger }).lifecycle,
          );
    }
    return toInstance(wire, ids, region, this.logger);
  }

  /** Every page, or an error: a failed page fails the list. */
  async listInstances(args: ListInstancesArgs = {}): Promise<Instance[]> {
    if (isEmptyFilter(args)) return [];
    const region = await this.projectRegion();
    const parentId = this.credential.projectId;
    const raw = await pageThrough(
      'list instances',
      (pageToken) => ({
        operation: 'list instances',
        replay: 'idempotent',
        invoke: (s) => (md, opts, done) =>
          s.instances.list({ parentId, pageSize: '100', pageToken }, md, opts, done),
      }),
      this.rpc,
    );
    const ours = correlatedOnly(
      raw.map((item) => parseOrThrow(InstanceWire, item, 'list instances')),
      {
        correlate: correlationOf,
        cloudIdOf: (wire) => wire.metadata.id,
        warnings: this.warnings,
        message:
          'skipping a Nebius instance cloudplane did not create (it has no correlation labels)',
      },
    );
    return filterInstances(
      ours.map(({ item, ids }) => toInstance(item, ids, region, this.logger)),
      args,
    );
  }

  /** Idempotent: an instance that is gone or being deleted counts as done. */
  async terminateInstance(cloudId: string): Promise<void> {
    try {
      await this.sendChange(cloudId, 'delete');
    } catch (err) {
      if (await terminatedAnyway(err, () => this.state(cloudId))) return;
      throw err;
    }
  }

  /** Stop or start: resolves once Nebius accepted it; the state shows the rest. */
  private async change(cloudId: string, what: 'stop' | 'start'): Promise<void> {
    await this.getInstance(cloudId);
    await this.sendChange(cloudId, what);
  }

  private async sendChange(cloudId: string, what: 'stop' | 'start' | 'delete'): Promise<void> {
    const operation = `${what} instance ${cloudId}`;
    const invoke = (s: Stubs): Invoke<unknown> => {
      const request = { id: cloudId };
      if (what === 'stop') return (md, opts, done) => s.instances.stop(request, md, opts, done);
      if (what === 'start') return (md, opts, done) => s.instances.start(request, md, opts, done);
      return (md, opts, done) => s.instances.delete(request, md, opts, done);
    };
    const op: OperationWire = readOperation(
      await this.rpc.call({
        operation,
        replay: 'idempotent',
        idempotencyKey: randomUUID(),
        notFound: 'INSTANCE_NOT_FOUND',
        invoke,
      }),
      operation,
    );
    // Look at the answer only: a failure that Nebius knows at once is reported; the rest of the
    // operation shows in the instance's state, which the control plane follows.
    await awaitOperation(this.rpc, op, {
      operation,
      notFound: 'INSTANCE_NOT_FOUND',
      waitMs: 0,
      pollMs: this.options.operationPollMs,
      signal: this.signal,
    });
  }

  private state(cloudId: string): Promise<InstanceState> {
    return instanceState(
      async () =>
        statusMap.map((await this.fetchInstance(cloudId)).status?.state ?? 'UNSPECIFIED', {
          logger: this.logger,
        }).lifecycle,
    );
  }

  /** The project's region, read once (ProjectService on the IAM host). */
  private projectRegion(): Promise<string> {
    this.region ??= this.readRegion().catch((err: unknown) => {
      this.region = undefined;
      throw err;
    });
    return this.region;
  }

  private async readRegion(): Promise<string> {
    const id = this.credential.projectId;
    const operation = `get project ${id}`;
    const raw = await this.rpc.call({
      operation,
      replay: 'idempotent',
      invoke: (s) => (md, opts, done) => s.projects.get({ id }, md, opts, done),
    });
    const project = parseOrThrow(ProjectWire, raw, operation);
    const region = project.status?.region || project.spec?.region;
    if (!region) {
      throw new CloudError('INTERNAL', { message: `${operation}: Nebius named no region` });
    }
    return region;
  }

  /** The credential's subnet, or the project's first ready one. */
  private subnetId(): Promise<string> {
    const chosen = this.credential.subnetId;
    if (chosen !== undefined) return Promise.resolve(chosen);
    this.subnet ??= this.findSubnet().catch((err: unknown) => {
      this.subnet = undefined;
      throw err;
    });
    return this.subnet;
  }

  private async findSubnet(): Promise<string> {
    const parentId = this.credential.projectId;
    const raw = await pageThrough(
      'list subnets',
      (pageToken) => ({
        operation: 'list subnets',
        replay: 'idempotent',
        invoke: (s) => (md, opts, done) =>
          s.subnets.list({ parentId, pageSize: '100', pageToken }, md, opts, done),
      }),
      this.rpc,
    );
    const subnets = raw.map((s) => parseOrThrow(SubnetWire, s, 'list subnets'));
    const ready = subnets.find((s) => s.status?.state === 'READY');
    if (!ready) {
      throw new CloudError('RESOURCE_NOT_FOUND', {
        message: `project ${parentId} has no ready subnet to attach instances to; create a network in the project or set subnetId in the credential`,
      });
    }
    return ready.metadata.id;
  }
}
