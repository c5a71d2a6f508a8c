import { randomBytes, randomUUID } from 'node:crypto';
import {
  FakeCloud,
  HttpAnswer,
  type InjectedFault,
  type ReceivedRequest,
} from '@cloudplane/spec-fake';
import {
  defaultRegions,
  FAKE_PRICES,
  FAKE_TYPES,
  type FakeInstanceType,
  type FakeRegionSetup,
} from './catalog.js';
import { assertFluidstackAnswer, requestProblems } from './spec.js';

/**
 * A stateful fake of Fluidstack's regional APIs on 127.0.0.1: one server stands for every
 * region's host (the region is the first path segment, so the credential's baseUrl is
 * `http://127.0.0.1:<port>/{region}/api/v1alpha1`). Launches appear in the list and use up
 * capacity; a launch without capacity is accepted and goes `out-of-stock`, as Fluidstack's
 * instance states say; stop and start move through their states; delete frees capacity and the
 * instance disappears. Every answer is checked against Fluidstack's spec before it is sent
 * (spec.ts) and request bodies against the spec's request schema; the tag-key rule the spec
 * states in words is enforced too. Test code only.
 */

const API = '/{region}/api/v1alpha1';

/** The routes the fake serves, as the spec names them (below each region's API root). */
const SPEC_ROUTES = [
  'GET /instance-types',
  'GET /capacity',
  'GET /instances',
  'POST /instances',
  'GET /instances/{id}',
  'DELETE /instances/{id}',
  'POST /instances/{id}/actions/start',
  'POST /instances/{id}/actions/stop',
] as const;

const full = (route: string) => {
  const [method, path] = route.split(' ');
  return `${method ?? ''} ${API}${path ?? ''}`;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TAG_KEY = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

type Phase = 'launch' | 'stop' | 'start';

export interface FakeInstance {
  readonly id: string;
  readonly region: string;
  readonly name: string;
  readonly type: string;
  readonly image: string;
  readonly tags: Record<string, string>;
  /** As sent (base64), and decoded for tests. */
  readonly userData: string | null;
  readonly userDataText: string | null;
  readonly ip: string | null;
  /** Launched without capacity: it goes out-of-stock instead of running. */
  readonly outOfStock: boolean;
  phase: Phase;
  phaseAt: number;
  deletingSince?: number;
  /** A state a test forced (a value outside the spec's enum, say). */
  forcedState?: string | undefined;
}

export interface Fault extends InjectedFault {
  /** The `message` of the error body. */
  readonly message?: string;
}

export interface FluidstackFakeOptions {
  readonly apiKey?: string;
  readonly projectId?: string;
  readonly regions?: FakeRegionSetup[];
  readonly types?: readonly FakeInstanceType[];
  /** Time an instance stays `creating`. Default 50 ms. */
  readonly createMs?: number;
  /** Time of stopping and starting. Default 50 ms. */
  readonly transitionMs?: number;
  /** Time an instance stays `deleting` before it is gone. Default 50 ms. */
  readonly terminateMs?: number;
  /** Give instances private addresses (10.0.0.0/8). Off by default (see the Lambda fake). */
  readonly addresses?: boolean;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly project: string | undefined;
  readonly authorization: string | undefined;
  readonly at: number;
}

const error = (status: number, message: string) => new HttpAnswer(status, { message });

export class FluidstackFake extends FakeCloud<Fault> {
  readonly projectId: string;
  readonly instances = new Map<string, FakeInstance>();
  readonly requests: RecordedRequest[] = [];
  readonly regions: FakeRegionSetup[];
  readonly types: readonly FakeInstanceType[];
  private readonly createMs: number;
  private readonly transitionMs: number;
  private readonly terminateMs: number;
  private readonly addresses: boolean;
  private current: ReceivedRequest | undefined;
  private nextHost = 2;

  private constructor(options: FluidstackFakeOptions) {
    super(
      options.apiKey ?? `fs_secret_${randomBytes(12).toString('hex')}`,
      '',
      SPEC_ROUTES.map(full),
    );
    this.projectId = options.projectId ?? randomUUID();
    this.regions = options.regions ?? defaultRegions();
    this.types = options.types ?? FAKE_TYPES;
    this.createMs = options.createMs ?? 50;
    this.transitionMs = options.transitionMs ?? 50;
    this.terminateMs = options.terminateMs ?? 50;
    this.addresses = options.addresses ?? false;
  }

  static async start(options: FluidstackFakeOptions = {}): Promise<FluidstackFake> {
    const fake = new FluidstackFake(options);
    await fake.listen();
    return fake;
  }

  /** The credential template for the adapter: `{region}` in the path. */
  get baseUrlTemplate(): string {
    return this.url.replace(/\/$/, '') + API;
  }

  /** A full Fluidstack credential for this fake (every region, the tests' price list). */
  get fluidstackCredential() {
    return {
      apiKey: this.apiKey,
      projectId: this.projectId,
      regions: this.regions.map((r) => r.name),
      prices: { ...FAKE_PRICES },
      baseUrl: this.baseUrlTemplate,
    };
  }

  /** Injects a fault on a spec route such as `GET /instances`, in every region. */
  override inject(route: string, fault: Fault): () => void {
    return super.inject(full(route), fault);
  }

  setCapacity(region: string, type: string, count: number): void {
    this.region(region).capacity[type] = count;
  }

  /** Empties every region; returns a function that puts the capacity back. */
  exhaustCapacity(): () => void {
    const saved = this.regions.map((r) => ({ ...r.capacity }));
    for (const r of this.regions) for (const t of Object.keys(r.capacity)) r.capacity[t] = 0;
    return () => {
      this.regions.forEach((r, i) => Object.assign(r.capacity, saved[i]));
    };
  }

  /** An instance made outside cloudplane (in Fluidstack's console): any tags. */
  addInstance(region: string, args: { name: string; tags?: Record<string, string> }): string {
    const type = this.types[0]?.name ?? 'h100-hgx-80gb.8x';
    return this.createInstance(region, {
      name: args.name,
      type,
      tags: args.tags ?? {},
      image: 'image://ubuntu22.04',
      userData: null,
    }).id;
  }

  forceState(id: string, state: string | undefined): void {
    const instance = this.instances.get(id);
    if (!instance) throw new Error(`no instance ${id}`);
    instance.forcedState = state;
  }

  /** Instances not being deleted. */
  live(): FakeInstance[] {
    this.sweep();
    return [...this.instances.values()].filter((i) => i.deletingSince === undefined);
  }

  protected received(request: ReceivedRequest): void {
    const project = request.headers['x-project-id'];
    this.requests.push({
      method: request.method,
      path: request.path,
      body: request.body,
      project: typeof project === 'string' ? project : undefined,
      authorization: request.headers.authorization,
      at: Date.now(),
    });
    this.current = request;
    this.sweep();
  }

  protected authorized(request: ReceivedRequest): boolean {
    return request.headers.authorization === `Bearer ${this.apiKey}`;
  }

  protected notFound(): HttpAnswer {
    return error(404, 'Not found');
  }

  protected unauthorized(): HttpAnswer {
    return error(401, 'Unauthorized');
  }

  protected faultBody(fault: Fault): unknown {
    return { message: fault.message ?? 'Internal server error' };
  }

  /** Answers are checked against the spec operation (the path below the region's API root). */
  protected checkAnswer(method: string, template: string, status: number, body: unknown): void {
    const specPath = template.startsWith(API) ? template.slice(API.length) : template;
    if (body !== undefined) assertFluidstackAnswer(method, specPath, status, body);
    else if (status >= 400 || !this.declares(method, specPath, status)) {
      throw new Error(`${method} ${specPath} (${status}) answered without a body`);
    }
  }

  private declares(method: string, path: string, status: number): boolean {
    try {
      assertFluidstackAnswer(method, path, status, undefined);
      return true;
    } catch {
      return false;
    }
  }

  protected handle(route: string, params: Record<string, string>, body: unknown): HttpAnswer {
    const region = this.region(params.region ?? '');
    const spec = route.replace(API, '');
    if (spec !== 'GET /instance-types') this.checkProject();
    switch (spec) {
      case 'GET /instance-types':
        return new HttpAnswer(
          200,
          this.types.filter((t) => t.name in region.capacity).map((t) => ({ ...t })),
        );
      case 'GET /capacity':
        return new HttpAnswer(
          200,
          Object.entries(region.capacity).map(([name, capacity]) => ({ name, capacity })),
        );
      case 'GET /instances':
        return new HttpAnswer(
          200,
          this.inRegion(region.name).map((i) => this.wire(i)),
        );
      case 'POST /instances':
        return this.launch(region, body);
      case 'GET /instances/{id}':
        return new HttpAnswer(200, this.wire(this.instance(region.name, params.id ?? '')));
      case 'DELETE /instances/{id}':
        return this.delete(this.instance(region.name, params.id ?? ''));
      case 'POST /instances/{id}/actions/start':
        return this.move(this.instance(region.name, params.id ?? ''), 'start');
      case 'POST /instances/{id}/actions/stop':
        return this.move(this.instance(region.name, params.id ?? ''), 'stop');
      default:
        throw this.notFound();
    }
  }

  /** Project-scoped calls need the project header, and only this project exists. */
  private checkProject(): void {
    const header = this.current?.headers['x-project-id'];
    if (typeof header !== 'string' || header === '')
      throw error(400, 'missing X-PROJECT-ID header');
    if (header !== this.projectId) throw error(403, 'Forbidden: not a member of this project');
  }

  private region(name: string): FakeRegionSetup {
    const found = this.regions.find((r) => r.name === name);
    if (!found) throw error(404, `Not found: no region ${name}`);
    return found;
  }

  private inRegion(region: string): FakeInstance[] {
    return [...this.instances.values()].filter((i) => i.region === region);
  }

  private instance(region: string, id: string): FakeInstance {
    if (!UUID.test(id)) throw error(400, `Invalid format for parameter id: ${id} is not a UUID`);
    const instance = this.instances.get(id);
    if (!instance || instance.region !== region) throw error(404, 'Instance not found');
    return instance;
  }

  private launch(region: FakeRegionSetup, body: unknown): HttpAnswer {
    const problems = requestProblems('InstancesPostRequest', body);
    if (problems.length > 0) throw error(400, `Invalid input: ${problems.join('; ')}`);
    const request = body as {
      name: string;
      type: string;
      image?: string;
      userData?: string | null;
      tags?: Record<string, string>;
    };
    const badKey = Object.keys(request.tags ?? {}).find((k) => !TAG_KEY.test(k));
    if (badKey !== undefined) throw error(400, `Invalid input: tag key "${badKey}"`);
    if (!(request.type in region.capacity)) {
      throw error(400, `Invalid input: instance type ${request.type} is not sold in this region`);
    }
    const instance = this.createInstance(region.name, {
      name: request.name,
      type: request.type,
      tags: request.tags ?? {},
      image: request.image ?? 'image://ubuntu22.04',
      userData: request.userData ?? null,
    });
    return new HttpAnswer(201, this.wire(instance));
  }

  private createInstance(
    region: string,
    args: {
      name: string;
      type: string;
      tags: Record<string, string>;
      image: string;
      userData: string | null;
    },
  ): FakeInstance {
    const setup = this.region(region);
    const left = setup.capacity[args.type] ?? 0;
    if (left > 0) setup.capacity[args.type] = left - 1;
    const host = this.nextHost++;
    const instance: FakeInstance = {
      id: randomUUID(),
      region,
      name: args.name,
      type: args.type,
      image: args.image,
      tags: { ...args.tags },
      userData: args.userData,
      userDataText:
        args.userData === null ? null : Buffer.from(args.userData, 'base64').toString('utf8'),
      ip: this.addresses ? `10.${(host >> 16) & 255}.${(host >> 8) & 255}.${host & 255}` : null,
      outOfStock: left <= 0,
      phase: 'launch',
      phaseAt: Date.now(),
    };
    this.instances.set(instance.id, instance);
    return instance;
  }

  private delete(instance: FakeInstance): HttpAnswer {
    if (instance.deletingSince === undefined) {
      instance.deletingSince = Date.now();
      if (!instance.outOfStock) {
        const capacity = this.region(instance.region).capacity;
        capacity[instance.type] = (capacity[instance.type] ?? 0) + 1;
      }
    }
    return new HttpAnswer(204, undefined);
  }

  private move(instance: FakeInstance, to: 'start' | 'stop'): HttpAnswer {
    const state = this.stateOf(instance);
    const from = to === 'stop' ? 'running' : 'stopped';
    if (state !== from) {
      throw error(409, `Instance state conflict: cannot ${to} an instance that is ${state}`);
    }
    instance.phase = to;
    instance.phaseAt = Date.now();
    return new HttpAnswer(202, undefined);
  }

  /** Instances deleted longer than terminateMs ago are gone. */
  private sweep(): void {
    const now = Date.now();
    for (const [id, i] of this.instances) {
      if (i.deletingSince !== undefined && now - i.deletingSince >= this.terminateMs) {
        this.instances.delete(id);
      }
    }
  }

  private stateOf(i: FakeInstance): string {
    if (i.deletingSince !== undefined) return 'deleting';
    if (i.forcedState !== undefined) return i.forcedState;
    const elapsed = Date.now() - i.phaseAt;
    switch (i.phase) {
      case 'launch':
        if (elapsed < this.createMs) return 'creating';
        return i.outOfStock ? 'out-of-stock' : 'running';
      case 'stop':
        return elapsed < this.transitionMs ? 'stopping' : 'stopped';
      case 'start':
        return elapsed < this.transitionMs ? 'starting' : 'running';
    }
  }

  private wire(i: FakeInstance): Record<string, unknown> {
    const state = this.stateOf(i);
    return {
      id: i.id,
      name: i.name,
      type: i.type,
      ip: state === 'running' ? i.ip : null,
      state,
      image: i.image,
      preemptible: false,
      ephemeral: false,
      userData: i.userData,
      filesystems: [],
      tags: { ...i.tags },
    };
  }
}
