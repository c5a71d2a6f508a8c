import { randomBytes } from 'node:crypto';
import { status as Code } from '@grpc/grpc-js';
import type {
  CreateInstanceRequest,
  InstanceInput,
  OperationInput,
  PlatformInput,
  ServiceErrorInput,
  StatusInput,
} from '../../src/proto.js';
import { nebiusApi } from '../../src/proto.js';
import type { NebiusInstanceState } from '../../src/status.js';

/**
 * The fake's compute state: instances that move through Nebius's states on timers, and the
 * operations that report those moves (running until `status` is set). Failures are FakeFailures,
 * which the server turns into gRPC errors carrying a google.rpc.Status with a ServiceError.
 */

export class FakeFailure extends Error {
  constructor(
    readonly code: Code,
    message: string,
    readonly detail?: ServiceErrorInput,
  ) {
    super(message);
  }
}

export interface ComputeTimings {
  /** Create: CREATING until the operation finishes, then STARTING. */
  readonly provisionMs: number;
  /** STARTING → RUNNING. */
  readonly bootMs: number;
  /** STOPPING → STOPPED and (start) STARTING → RUNNING. */
  readonly transitionMs: number;
  /** DELETING → gone. */
  readonly deleteMs: number;
  /** Running instances get a private and a public address. */
  readonly assignAddresses: boolean;
}

export interface FakeInstance {
  readonly id: string;
  readonly name: string;
  readonly parentId: string;
  readonly labels: Record<string, string>;
  readonly createdAt: number;
  readonly spec: NonNullable<CreateInstanceRequest['spec']>;
  state: NebiusInstanceState;
  publicIp: string;
  privateIp: string;
  /** The running operation on this instance, if any. */
  current: string | undefined;
}

interface FakeOperation {
  readonly id: string;
  readonly description: string;
  readonly resourceId: string;
  readonly createdAt: number;
  status: StatusInput | null;
  finishedAt: number | undefined;
}

export type CapacityFailure = 'operation' | 'rpc';

export class FakeCompute {
  readonly instances = new Map<string, FakeInstance>();
  private readonly operations = new Map<string, FakeOperation>();
  private readonly byIdempotencyKey = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Where a launch without capacity fails, or undefined while there is capacity. */
  capacityFailure: CapacityFailure | undefined;
  /** GPUs the project may run at once (Nebius's per-platform quota, simplified). */
  gpuQuota: number | undefined;
  private addressCounter = 10;

  constructor(
    private readonly projectId: string,
    private readonly subnetId: string,
    private readonly platforms: readonly PlatformInput[],
    private readonly timings: ComputeTimings,
  ) {}

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  create(request: CreateInstanceRequest, idempotencyKey: string | undefined): OperationInput {
    const replay =
      idempotencyKey === undefined ? undefined : this.byIdempotencyKey.get(idempotencyKey);
    if (replay !== undefined) return this.operation(replay);
    const metadata = request.metadata;
    const spec = request.spec;
    if (!metadata || !spec) throw badRequest('metadata', 'metadata and spec are required');
    if (metadata.parentId !== this.projectId) {
      throw new FakeFailure(Code.PERMISSION_DENIED, `no access to ${metadata.parentId ?? ''}`, {
        service: 'compute',
        code: 'PermissionDenied',
        permissionDenied: { resourceId: metadata.parentId ?? '' },
      });
    }
    const name = metadata.name ?? '';
    for (const other of this.instances.values()) {
      if (other.name === name) {
        throw new FakeFailure(Code.ALREADY_EXISTS, `instance ${name} exists`, {
          service: 'compute',
          code: 'ResourceAlreadyExists',
          resourceAlreadyExists: { resourceId: other.id },
        });
      }
    }
    const gpus = this.gpusOf(spec);
    if (this.gpuQuota !== undefined) {
      const used = [...this.instances.values()]
        .filter((i) => i.state !== 'DELETING')
        .reduce((sum, i) => sum + this.gpusOf(i.spec), 0);
      if (used + gpus > this.gpuQuota) {
        throw new FakeFailure(Code.RESOURCE_EXHAUSTED, 'quota exceeded', {
          service: 'compute',
          code: 'QuotaFailure',
          quotaFailure: {
            violations: [
              {
                quota: 'compute.gpu.total',
                message: 'not enough GPU quota',
                limit: String(this.gpuQuota),
                requested: String(used + gpus),
              },
            ],
          },
          retryType: 'NOTHING',
        });
      }
    }
    if (this.capacityFailure === 'rpc') throw noCapacity();
    const instance: FakeInstance = {
      id: fakeId('computeinstance'),
      name,
      parentId: metadata.parentId,
      labels: { ...metadata.labels },
      createdAt: Date.now(),
      spec,
      state: 'CREATING',
      publicIp: '',
      privateIp: '',
      current: undefined,
    };
    this.instances.set(instance.id, instance);
    const op = this.start(instance, 'create instance');
    if (idempotencyKey !== undefined) this.byIdempotencyKey.set(idempotencyKey, op.id);
    const noCapacityNow = this.capacityFailure === 'operation';
    this.after(this.timings.provisionMs, () => {
      if (instance.current !== op.id) return;
      if (noCapacityNow) {
        instance.state = 'ERROR';
        this.finish(op, failedStatus(noCapacity()));
        return;
      }
      instance.state = 'STARTING';
      this.finish(op, null);
      this.after(this.timings.bootMs, () => {
        if (instance.state !== 'STARTING') return;
        this.boot(instance);
      });
    });
    return this.operation(op.id);
  }

  stop(id: string): OperationInput {
    const instance = this.find(id);
    this.requireState(instance, ['RUNNING'], 'stop');
    instance.state = 'STOPPING';
    const op = this.start(instance, 'stop instance');
    this.after(this.timings.transitionMs, () => {
      if (instance.current !== op.id) return;
      instance.state = 'STOPPED';
      instance.publicIp = '';
      this.finish(op, null);
    });
    return this.operation(op.id);
  }

  startInstance(id: string): OperationInput {
    const instance = this.find(id);
    this.requireState(instance, ['STOPPED'], 'start');
    instance.state = 'STARTING';
    const op = this.start(instance, 'start instance');
    this.after(this.timings.transitionMs, () => {
      if (instance.current !== op.id) return;
      this.boot(instance);
      this.finish(op, null);
    });
    return this.operation(op.id);
  }

  /** Deleting what is being deleted answers the running delete; anything else is aborted. */
  delete(id: string): OperationInput {
    const instance = this.find(id);
    if (instance.state === 'DELETING' && instance.current !== undefined) {
      return this.operation(instance.current);
    }
    const aborted =
      instance.current === undefined ? undefined : this.operations.get(instance.current);
    instance.state = 'DELETING';
    const op = this.start(instance, 'delete instance');
    if (aborted && aborted.status === null) {
      this.finish(
        aborted,
        failedStatus(
          new FakeFailure(Code.ABORTED, 'aborted by a delete', {
            service: 'compute',
            code: 'OperationAborted',
            operationAborted: {
              operationId: aborted.id,
              abortedByOperationId: op.id,
              resourceId: id,
            },
          }),
        ),
      );
    }
    this.after(this.timings.deleteMs, () => {
      this.instances.delete(id);
      this.finish(op, null);
    });
    return this.operation(op.id);
  }

  get(id: string): InstanceInput {
    return this.message(this.find(id));
  }

  list(parentId: string): InstanceInput[] {
    return [...this.instances.values()]
      .filter((i) => i.parentId === parentId)
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      .map((i) => this.message(i));
  }

  operation(id: string): OperationInput {
    const op = this.operations.get(id);
    if (!op) throw notFound(id);
    return {
      id: op.id,
      description: op.description,
      createdAt: timestamp(op.createdAt),
      createdBy: 'serviceaccount-e00fake',
      resourceId: op.resourceId,
      status: op.status,
      ...(op.finishedAt === undefined ? {} : { finishedAt: timestamp(op.finishedAt) }),
    };
  }

  /** Puts a live instance of someone else's into the project (made in the console, say). */
  addForeign(): string {
    const id = fakeId('computeinstance');
    this.instances.set(id, {
      id,
      name: 'made-in-console',
      parentId: this.projectId,
      labels: { team: 'ml' },
      createdAt: Date.now(),
      spec: { resources: { platform: 'cpu-d3', preset: '4vcpu-16gb' } },
      state: 'RUNNING',
      publicIp: '',
      privateIp: '10.0.0.2',
      current: undefined,
    });
    return id;
  }

  private boot(instance: FakeInstance): void {
    instance.state = 'RUNNING';
    if (!this.timings.assignAddresses) return;
    this.addressCounter += 1;
    instance.privateIp = `10.0.0.${this.addressCounter}`;
    instance.publicIp = `203.0.113.${this.addressCounter}`;
  }

  private find(id: string): FakeInstance {
    const instance = this.instances.get(id);
    if (!instance) throw notFound(id);
    return instance;
  }

  private requireState(instance: FakeInstance, allowed: NebiusInstanceState[], what: string): void {
    if (allowed.includes(instance.state)) return;
    throw new FakeFailure(
      Code.FAILED_PRECONDITION,
      `cannot ${what} an instance in ${instance.state}`,
      {
        service: 'compute',
        code: 'BadResourceState',
        badResourceState: { resourceId: instance.id, message: `instance is ${instance.state}` },
      },
    );
  }

  private gpusOf(spec: NonNullable<CreateInstanceRequest['spec']>): number {
    const platform = this.platforms.find((p) => p.metadata?.name === spec.resources?.platform);
    const preset = platform?.spec?.presets?.find((p) => p.name === spec.resources?.preset);
    if (!preset) {
      throw badRequest(
        'spec.resources',
        `no preset ${spec.resources?.preset ?? ''} on platform ${spec.resources?.platform ?? ''}`,
      );
    }
    return preset.resources?.gpuCount ?? 0;
  }

  private start(instance: FakeInstance, description: string): FakeOperation {
    const op: FakeOperation = {
      id: fakeId('computeoperation'),
      description,
      resourceId: instance.id,
      createdAt: Date.now(),
      status: null,
      finishedAt: undefined,
    };
    this.operations.set(op.id, op);
    instance.current = op.id;
    return op;
  }

  private finish(op: FakeOperation, failure: StatusInput | null): void {
    op.status = failure ?? { code: Code.OK, message: '', details: [] };
    op.finishedAt = Date.now();
    const instance = this.instances.get(op.resourceId);
    if (instance?.current === op.id) instance.current = undefined;
  }

  private after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private message(instance: FakeInstance): InstanceInput {
    return {
      metadata: {
        id: instance.id,
        parentId: instance.parentId,
        name: instance.name,
        resourceVersion: '1',
        createdAt: timestamp(instance.createdAt),
        updatedAt: timestamp(instance.createdAt),
        labels: instance.labels,
      },
      spec: instance.spec,
      status: {
        state: instance.state,
        reconciling: instance.current !== undefined,
        networkInterfaces:
          instance.privateIp === ''
            ? []
            : [
                {
                  index: 0,
                  name: 'eth0',
                  ipAddress: { address: `${instance.privateIp}/32` },
                  ...(instance.publicIp === ''
                    ? {}
                    : { publicIpAddress: { address: `${instance.publicIp}/32` } }),
                  fqdn: `${instance.id}.${this.subnetId}.compute.internal.`,
                },
              ],
      },
    };
  }
}

export function fakeId(kind: string): string {
  return `${kind}-e00${randomBytes(8).toString('hex')}`;
}

export function timestamp(ms: number): { seconds: string; nanos: number } {
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}

export function notFound(id: string): FakeFailure {
  return new FakeFailure(Code.NOT_FOUND, `resource ${id} not found`, {
    service: 'compute',
    code: 'ResourceNotFound',
    resourceNotFound: { resourceId: id },
  });
}

export function badRequest(field: string, message: string): FakeFailure {
  return new FakeFailure(Code.INVALID_ARGUMENT, message, {
    service: 'compute',
    code: 'BadRequest',
    badRequest: { violations: [{ field, message }] },
  });
}

export function noCapacity(): FakeFailure {
  return new FakeFailure(Code.RESOURCE_EXHAUSTED, 'not enough resources to place the instance', {
    service: 'compute',
    code: 'NotEnoughResources',
    notEnoughResources: {
      violations: [
        { resourceType: 'gpu', message: 'no free hosts for this preset', requested: '1' },
      ],
    },
  });
}

/** A failure as a google.rpc.Status whose detail is a packed ServiceError. */
export function failedStatus(failure: FakeFailure): StatusInput {
  const details = [];
  if (failure.detail) {
    const bytes = nebiusApi().nebius.common.v1.ServiceError.serialize(failure.detail);
    details.push({ type_url: 'type.googleapis.com/nebius.common.v1.ServiceError', value: bytes });
  }
  return { code: failure.code, message: failure.message, details };
}
