import { randomUUID } from 'node:crypto';
import type { MachineBackend } from './backend.js';
import { generateCatalog, REGIONS, type Offer, type Region } from './catalog.js';
import type { FaultInjector } from './faults.js';

/**
 * The cloud's state: catalog, capacity, SSH keys, instances and their lifecycle. Transitions
 * take time (timers), consume and release capacity, and drive the machine backend.
 */

export const NATIVE_STATUSES = [
  'provisioning',
  'booting',
  'running',
  'stopping',
  'stopped',
  'starting',
  'rebooting',
  'terminating',
  'terminated',
  'boot_failed',
] as const;
export type NativeStatus = (typeof NATIVE_STATUSES)[number];

export interface Timings {
  /** provisioning → booting → running, each step. */
  readonly bootStepMs: number;
  readonly stopMs: number;
  readonly startMs: number;
  readonly rebootMs: number;
  readonly terminateMs: number;
  /** How long a terminated instance stays visible before it disappears. */
  readonly terminatedRetentionMs: number;
}

export const DEFAULT_TIMINGS: Timings = {
  bootStepMs: 750,
  stopMs: 500,
  startMs: 750,
  rebootMs: 750,
  terminateMs: 500,
  terminatedRetentionMs: 60_000,
};

export interface SshKey {
  readonly id: string;
  readonly name: string;
  readonly publicKey: string;
  readonly createdAt: string;
}

export interface CloudInstance {
  readonly id: string;
  /** Monotonic creation order; list cursors are built on it. */
  readonly seq: number;
  name: string;
  readonly instanceType: string;
  readonly region: string;
  readonly zone: string | null;
  status: NativeStatus;
  statusMessage: string | null;
  readonly createdAt: string;
  publicIp: string | null;
  privateIp: string | null;
  sshUser: string;
  sshPort: number;
  tags: Record<string, string>;
  readonly publicKey: string;
  readonly userData: string | undefined;
  readonly diskGb: number;
  terminatedAt: number | null;
}

export class CloudError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CloudOptions {
  readonly seed: number;
  readonly catalogSize?: number;
  readonly capacityPerOffer?: number;
  /** Max live (not terminated) instances; default 100. */
  readonly instanceQuota?: number;
  readonly timings?: Partial<Timings>;
  readonly backend: MachineBackend;
  readonly faults: FaultInjector;
  readonly sshUser?: string;
}

export class Cloud {
  readonly regions: Region[] = REGIONS.map((r) => ({ ...r, available: true }));
  readonly offers: Offer[];
  readonly offersByName: Map<string, Offer>;
  readonly sshKeys = new Map<string, SshKey>();
  readonly timings: Timings;
  instanceQuota: number;
  /** Append-only by seq; removed instances are dropped from `byId` and skipped in lists. */
  private readonly ordered: CloudInstance[] = [];
  private readonly byId = new Map<string, CloudInstance>();
  private nextSeq = 1;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly backend: MachineBackend;
  private readonly faults: FaultInjector;
  private readonly sshUser: string;

  constructor(options: CloudOptions) {
    this.offers = generateCatalog({
      seed: options.seed,
      ...(options.catalogSize !== undefined ? { size: options.catalogSize } : {}),
      ...(options.capacityPerOffer !== undefined
        ? { capacityPerOffer: options.capacityPerOffer }
        : {}),
    });
    this.offersByName = new Map(this.offers.map((o) => [o.name, o]));
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.instanceQuota = options.instanceQuota ?? 100;
    this.backend = options.backend;
    this.faults = options.faults;
    this.sshUser = options.sshUser ?? 'ubuntu';
  }

  get liveCount(): number {
    let n = 0;
    for (const i of this.byId.values())
      if (i.status !== 'terminated' && i.status !== 'boot_failed') n++;
    return n;
  }

  find(id: string): CloudInstance {
    const instance = this.byId.get(id);
    if (!instance) throw new CloudError(404, 'instance/not-found', `no instance with id ${id}`);
    return instance;
  }

  /** Every instance still held (terminated ones until their retention ends), in creation order. */
  held(): CloudInstance[] {
    return this.ordered.filter((i) => this.byId.has(i.id));
  }

  /** Instances after `afterSeq`, in creation order, up to `limit` matching `keep`. */
  page(
    afterSeq: number,
    limit: number,
    keep: (i: CloudInstance) => boolean,
  ): { items: CloudInstance[]; last: number | null } {
    let lo = 0;
    let hi = this.ordered.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.ordered[mid]?.seq ?? 0) <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    const items: CloudInstance[] = [];
    let index = lo;
    for (; index < this.ordered.length && items.length < limit; index++) {
      const instance = this.ordered[index];
      if (instance && this.byId.has(instance.id) && keep(instance)) items.push(instance);
    }
    const more = index < this.ordered.length;
    // The cursor is the last instance scanned, not the last returned, so filtered-out
    // instances are not scanned again.
    return { items, last: more ? (this.ordered[index - 1]?.seq ?? null) : null };
  }

  launch(request: {
    name: string;
    instanceType: string;
    region: string;
    zone: string | null;
    publicKey: string;
    userData: string | undefined;
    tags: Record<string, string>;
  }): CloudInstance {
    const offer = this.offersByName.get(request.instanceType);
    if (!offer || offer.region !== request.region) {
      throw new CloudError(
        400,
        'request/invalid',
        `instance type ${request.instanceType} is not offered in ${request.region}`,
      );
    }
    if (request.zone !== null && offer.zone !== null && request.zone !== offer.zone) {
      throw new CloudError(
        400,
        'request/invalid',
        `instance type ${request.instanceType} is offered in zone ${offer.zone}, not ${request.zone}`,
      );
    }
    if (this.faults.current.quotaExceeded || this.liveCount >= this.instanceQuota) {
      throw new CloudError(
        403,
        'quota/exceeded',
        `account quota of ${this.instanceQuota} instances reached`,
      );
    }
    if (this.faults.current.outOfCapacity || offer.capacity <= 0) {
      throw new CloudError(
        409,
        'capacity/insufficient',
        `no capacity for ${offer.name} in ${offer.region}`,
      );
    }
    offer.capacity--;
    const instance = this.insert(request, offer);
    this.boot(instance, true);
    return instance;
  }

  private insert(
    request: {
      name: string;
      instanceType: string;
      region: string;
      publicKey: string;
      userData: string | undefined;
      tags: Record<string, string>;
    },
    offer: Offer,
    status: NativeStatus = 'provisioning',
  ): CloudInstance {
    const instance: CloudInstance = {
      id: `i-${randomUUID().replace(/-/g, '').slice(0, 17)}`,
      seq: this.nextSeq++,
      name: request.name,
      instanceType: offer.name,
      region: offer.region,
      zone: offer.zone,
      status,
      statusMessage: null,
      createdAt: new Date().toISOString(),
      publicIp: null,
      privateIp: null,
      sshUser: this.sshUser,
      sshPort: 22,
      tags: { ...request.tags },
      publicKey: request.publicKey,
      userData: request.userData,
      diskGb: offer.diskGb,
      terminatedAt: null,
    };
    this.ordered.push(instance);
    this.byId.set(instance.id, instance);
    return instance;
  }

  /** Bulk seeding for scale tests: running instances with no timers and no backend work. */
  seedRunning(count: number, tags: Record<string, string>): void {
    const offer = this.offers[0];
    if (!offer) return;
    for (let i = 0; i < count; i++) {
      this.insert(
        {
          name: `seed-${i}`,
          instanceType: offer.name,
          region: offer.region,
          publicKey: '',
          userData: undefined,
          tags,
        },
        offer,
        'running',
      );
    }
  }

  private after(ms: number, step: () => Promise<void> | void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void Promise.resolve()
        .then(step)
        .catch(() => undefined);
    }, ms);
    this.timers.add(timer);
  }

  private boot(instance: CloudInstance, firstBoot: boolean): void {
    this.after(this.timings.bootStepMs, () => {
      if (
        instance.status !== 'provisioning' &&
        instance.status !== 'starting' &&
        instance.status !== 'rebooting'
      )
        return;
      if (instance.status === 'provisioning') instance.status = 'booting';
      this.after(this.timings.bootStepMs, async () => {
        if (
          instance.status !== 'booting' &&
          instance.status !== 'starting' &&
          instance.status !== 'rebooting'
        )
          return;
        if (firstBoot && this.faults.bootFails()) {
          this.fail(instance, 'injected fault: the machine did not boot');
          return;
        }
        try {
          const address = await this.backend.start(
            {
              id: instance.id,
              publicKey: instance.publicKey,
              sshUser: instance.sshUser,
              userData: instance.userData,
            },
            firstBoot,
          );
          // Terminated while booting: the machine must not come back.
          if (isGone(instance)) return;
          Object.assign(instance, address, { status: 'running' as const });
        } catch (err) {
          this.fail(instance, err instanceof Error ? err.message : String(err));
        }
      });
    });
  }

  private fail(instance: CloudInstance, message: string): void {
    instance.status = 'boot_failed';
    instance.statusMessage = message;
    this.release(instance);
    void this.backend.destroy(instance.id).catch(() => undefined);
  }

  private release(instance: CloudInstance): void {
    const offer = this.offersByName.get(instance.instanceType);
    if (offer) offer.capacity++;
  }

  terminate(id: string): CloudInstance {
    const instance = this.find(id);
    if (instance.status === 'terminated' || instance.status === 'terminating') return instance;
    const wasFailed = instance.status === 'boot_failed';
    instance.status = 'terminating';
    this.after(this.timings.terminateMs, async () => {
      await this.backend.destroy(instance.id);
      instance.status = 'terminated';
      instance.terminatedAt = Date.now();
      instance.publicIp = null;
      instance.privateIp = null;
      if (!wasFailed) this.release(instance);
      this.after(this.timings.terminatedRetentionMs, () => {
        this.byId.delete(instance.id);
      });
    });
    return instance;
  }

  stop(id: string): CloudInstance {
    const instance = this.find(id);
    const offer = this.offersByName.get(instance.instanceType);
    if (offer && !offer.stoppable) {
      throw new CloudError(400, 'request/invalid', `instances of ${offer.name} cannot be stopped`);
    }
    if (instance.status === 'stopped' || instance.status === 'stopping') return instance;
    this.requireStatus(instance, ['running'], 'stop');
    instance.status = 'stopping';
    this.after(this.timings.stopMs, async () => {
      await this.backend.stop(instance.id);
      if (instance.status === 'stopping') instance.status = 'stopped';
    });
    return instance;
  }

  start(id: string): CloudInstance {
    const instance = this.find(id);
    if (instance.status === 'running' || instance.status === 'starting') return instance;
    this.requireStatus(instance, ['stopped'], 'start');
    instance.status = 'starting';
    this.boot(instance, false);
    return instance;
  }

  reboot(id: string): CloudInstance {
    const instance = this.find(id);
    this.requireStatus(instance, ['running'], 'reboot');
    instance.status = 'rebooting';
    this.after(this.timings.rebootMs, async () => {
      await this.backend.stop(instance.id);
      this.boot(instance, false);
    });
    return instance;
  }

  private requireStatus(instance: CloudInstance, allowed: NativeStatus[], action: string): void {
    if (!allowed.includes(instance.status)) {
      throw new CloudError(
        409,
        'instance/invalid-state',
        `cannot ${action} instance ${instance.id} while it is ${instance.status}`,
      );
    }
  }

  addSshKey(name: string, publicKey: string): SshKey {
    const key: SshKey = {
      id: `key-${randomUUID().slice(0, 8)}`,
      name,
      publicKey,
      createdAt: new Date().toISOString(),
    };
    this.sshKeys.set(key.id, key);
    return key;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.backend.dispose();
  }
}

function isGone(instance: CloudInstance): boolean {
  return instance.status === 'terminating' || instance.status === 'terminated';
}
