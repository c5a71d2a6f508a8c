import { randomBytes, randomUUID } from 'node:crypto';
import {
  FakeCloud,
  HttpAnswer,
  type InjectedFault,
  type ReceivedRequest,
} from '@cloudplane/spec-fake';
import { defaultOffers, OPERATOR_PRICES, type FakeOffer } from './catalog.js';
import { assertLaunchPadAnswer, requestProblems } from './spec.js';

/**
 * A stateful fake of LaunchPad's platform API on 127.0.0.1: deployments are created against the
 * catalog's capacity, move through the spec's states with time (waiting, starting, ready;
 * stopping, stopped; destroying, destroyed), take start and stop tasks and tag updates, and are
 * listed in pages. Every answer is checked against LaunchPad's published spec before it is sent
 * (spec.ts) and request bodies against its request schemas. Faults are injected per route.
 *
 * Two things the shared FakeCloud base cannot do are done here:
 * - it hands a fake the path without the query string, which LaunchPad's lists need (`page`,
 *   `page_size`, `state_not`, `expand`); test clients carry the query in a header (query.ts);
 * - the spec's `oneOf: [uuid, <object schema without type: object>]` fields (a deployment's
 *   `cluster`, a task's `deployment`) reject a bare UUID, so answers carry the expanded objects,
 *   and a task request naming its deployment by UUID is checked with the object in its place.
 *
 * Test code only.
 */

type State =
  'waiting' | 'starting' | 'ready' | 'stopping' | 'stopped' | 'destroying' | 'destroyed' | 'error';

interface FakeDeployment {
  readonly id: string;
  readonly created: string;
  readonly offer: FakeOffer | undefined;
  readonly region: string;
  readonly request: Record<string, unknown>;
  tags: unknown;
  /** The state and when it was entered; time moves it on (see `stateOf`). */
  state: State;
  since: number;
  /** No cluster was free at creation: it waits for one (the fake never frees one up for it). */
  readonly noCluster: boolean;
  readonly clusterId: string;
  readonly address: string | null;
  /** A state of the spec's enum a test forced (error, paused...). */
  forcedState?: string | undefined;
}

/** A fault to inject: status, Retry-After and timing, and the `detail` of DRF's error body. */
export interface Fault extends InjectedFault {
  readonly detail?: string;
  /** The whole error body instead of `{detail}`. */
  readonly body?: unknown;
}

export interface LaunchPadFakeOptions {
  readonly apiToken?: string;
  readonly offers?: FakeOffer[];
  /** Time in each passing state (waiting, starting, stopping, destroying). Default 30 ms. */
  readonly stepMs?: number;
  /** Most deployments not destroyed the account may have. */
  readonly quota?: number;
  /** The largest page the fake serves, whatever is asked: small, so that lists have pages. */
  readonly maxPageSize?: number;
  /** Give clusters documentation addresses (198.51.100.0/24); off: nothing may connect. */
  readonly addresses?: boolean;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly authorization: string | undefined;
}

const ROUTES = [
  'GET /v1/catalog/instance-types/',
  'GET /v1/catalog/deployments/',
  'POST /v1/catalog/deployments/',
  'GET /v1/catalog/deployments/{id}/',
  'PATCH /v1/catalog/deployments/{id}/',
  'DELETE /v1/catalog/deployments/{id}/',
  'POST /v1/catalog/deployments/{deployment_id}/tasks/',
];

const EXPERIENCE_ID = '6f1c2a8e-3d4b-4c5a-9e7f-0a1b2c3d4e5f';

function drf(status: number, detail: string): HttpAnswer {
  return new HttpAnswer(status, { detail });
}

export class LaunchPadFake extends FakeCloud<Fault> {
  readonly deployments = new Map<string, FakeDeployment>();
  readonly requests: RecordedRequest[] = [];
  offers: FakeOffer[];
  private readonly stepMs: number;
  private readonly quota: number;
  private readonly maxPageSize: number;
  private readonly addresses: boolean;
  private nextHost = 2;
  /** The query of the request being handled (set in `received`, read in `handle`). */
  private query = new URLSearchParams();

  private constructor(options: LaunchPadFakeOptions) {
    super(options.apiToken ?? `lp_fake_${randomBytes(12).toString('hex')}`, '', ROUTES);
    this.offers = options.offers ?? defaultOffers();
    this.stepMs = options.stepMs ?? 30;
    this.quota = options.quota ?? 50;
    this.maxPageSize = options.maxPageSize ?? 2;
    this.addresses = options.addresses ?? false;
  }

  static async start(options: LaunchPadFakeOptions = {}): Promise<LaunchPadFake> {
    const fake = new LaunchPadFake(options);
    await fake.listen();
    return fake;
  }

  /** A complete credential for this fake (the tests' operator prices included). */
  launchpadCredential(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      apiToken: this.apiKey,
      baseUrl: this.url,
      orgName: 'Cloudplane Test',
      requesterName: 'Test Operator',
      requesterEmail: 'operator@example.com',
      experienceId: EXPERIENCE_ID,
      prices: OPERATOR_PRICES,
      ...extra,
    };
  }

  /** Empties every region of every type; returns a function that puts the capacity back. */
  exhaustCapacity(): () => void {
    const saved = this.offers.map((o) => ({ ...o.capacity }));
    for (const offer of this.offers) {
      for (const region of Object.keys(offer.capacity)) offer.capacity[region] = 0;
    }
    return () => {
      this.offers.forEach((offer, i) => Object.assign(offer.capacity, saved[i]));
    };
  }

  /** A deployment made outside cloudplane (LaunchPad's console): any tags, or none. */
  addDeployment(tags: unknown = { team: 'research' }): string {
    const offer = this.offers[1];
    const region = Object.keys(offer?.capacity ?? {})[0] ?? 'pdx';
    return this.createDeployment({ tags }, offer, region).id;
  }

  forceState(id: string, state: string | undefined): void {
    const deployment = this.deployments.get(id);
    if (!deployment) throw new Error(`no deployment ${id}`);
    deployment.forcedState = state;
  }

  /** Deployments not destroying or destroyed. */
  live(): FakeDeployment[] {
    return [...this.deployments.values()].filter(
      (d) => !['destroying', 'destroyed'].includes(this.stateOf(d)),
    );
  }

  protected received(request: ReceivedRequest): void {
    this.query = request.query;
    this.requests.push({
      method: request.method,
      path: request.path,
      query: this.query,
      body: request.body,
      authorization: request.headers.authorization,
    });
  }

  protected authorized(request: ReceivedRequest): boolean {
    return request.headers.authorization === `Token ${this.apiKey}`;
  }

  protected notFound(): HttpAnswer {
    return drf(404, 'Not found.');
  }

  protected unauthorized(): HttpAnswer {
    return drf(401, 'Invalid token.');
  }

  protected faultBody(fault: Fault): unknown {
    return fault.body ?? { detail: fault.detail ?? 'A server error occurred.' };
  }

  /** Every answer with a body is checked against the spec (204s have none). */
  protected checkAnswer(method: string, template: string, status: number, body: unknown): void {
    if (body !== undefined) assertLaunchPadAnswer(method, template, status, body);
  }

  protected handle(route: string, params: Record<string, string>, body: unknown): HttpAnswer {
    const id = params.id ?? params.deployment_id ?? '';
    switch (route) {
      case 'GET /v1/catalog/instance-types/':
        return this.page(
          '/v1/catalog/instance-types/',
          this.offers.map((o) => this.typeWire(o)),
        );
      case 'GET /v1/catalog/deployments/':
        return this.listDeployments();
      case 'POST /v1/catalog/deployments/':
        return this.create(body);
      case 'GET /v1/catalog/deployments/{id}/':
        return new HttpAnswer(200, this.wire(this.deployment(id), this.expanded()));
      case 'PATCH /v1/catalog/deployments/{id}/':
        return this.patch(this.deployment(id), body);
      case 'DELETE /v1/catalog/deployments/{id}/':
        return this.destroy(this.deployment(id));
      case 'POST /v1/catalog/deployments/{deployment_id}/tasks/':
        return this.task(this.deployment(id), body);
      default:
        throw drf(404, 'Not found.');
    }
  }

  private expanded(): boolean {
    return (this.query.get('expand') ?? '').split(',').includes('cluster');
  }

  /** One page of `items`, as Django REST framework pages them. */
  private page(path: string, items: unknown[]): HttpAnswer {
    const asked = Number(this.query.get('page_size') ?? this.maxPageSize);
    const size = Math.max(1, Math.min(this.maxPageSize, asked || this.maxPageSize));
    const page = Math.max(1, Number(this.query.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / size));
    if (page > last) throw drf(404, 'Invalid page.');
    const link = (n: number) => `${this.url}${path}?page=${n}&page_size=${size}`;
    return new HttpAnswer(200, {
      count: items.length,
      next: page < last ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      results: items.slice((page - 1) * size, page * size),
    });
  }

  private typeWire(offer: FakeOffer): Record<string, unknown> {
    return {
      ...offer.type,
      capacity: { ...offer.capacity },
      regions: Object.entries(offer.capacity)
        .filter(([, left]) => left > 0)
        .map(([region]) => region),
    };
  }

  private listDeployments(): HttpAnswer {
    const excluded = (this.query.get('state_not') ?? '').split(',').filter((s) => s !== '');
    const all = [...this.deployments.values()]
      .filter((d) => !excluded.includes(this.stateOf(d)))
      .sort((a, b) => a.created.localeCompare(b.created));
    return this.page(
      '/v1/catalog/deployments/',
      all.map((d) => this.wire(d, this.expanded())),
    );
  }

  private deployment(id: string): FakeDeployment {
    const deployment = this.deployments.get(id);
    if (!deployment) throw drf(404, 'No Deployment matches the given query.');
    return deployment;
  }

  private checked(schema: string, body: unknown, options: { partial?: boolean } = {}): void {
    const problems = requestProblems(schema, body, options);
    if (problems.length > 0) throw new HttpAnswer(400, { non_field_errors: problems });
  }

  private create(body: unknown): HttpAnswer {
    this.checked('Deployment', body);
    const request = body as Record<string, unknown>;
    const named = ['experience_id', 'catalog_id', 'catalog_id_alias'].filter(
      (k) => request[k] !== undefined,
    );
    if (named.length !== 1) {
      throw new HttpAnswer(400, {
        non_field_errors: ['Exactly one of experience_id, catalog_id or catalog_id_alias.'],
      });
    }
    const offer = this.offers.find(
      (o) =>
        o.type.cloud === request.provider_name &&
        o.type.gpu.model === request.gpu_model &&
        o.type.gpu.count === request.gpu_count &&
        (o.type.workshop_id || undefined) === request.workshop_id,
    );
    const region = typeof request.region === 'string' ? request.region : '';
    if (!offer || !(region in offer.capacity)) {
      throw new HttpAnswer(400, { non_field_errors: ['No cluster can meet these requirements.'] });
    }
    if (this.live().length >= this.quota) {
      throw drf(403, 'Deployment quota exceeded for your organization.');
    }
    return new HttpAnswer(201, this.wire(this.createDeployment(request, offer, region), false));
  }

  private createDeployment(
    request: Record<string, unknown>,
    offer: FakeOffer | undefined,
    region: string,
  ): FakeDeployment {
    const free = offer !== undefined && (offer.capacity[region] ?? 0) > 0;
    if (offer && free) offer.capacity[region] = (offer.capacity[region] ?? 1) - 1;
    const host = this.nextHost++;
    const deployment: FakeDeployment = {
      id: randomUUID(),
      // Creation times a millisecond apart keep `ordering=created` a strict order.
      created: new Date(Date.now() + host).toISOString(),
      offer,
      region,
      request,
      tags: request.tags ?? {},
      state: 'waiting',
      since: Date.now(),
      noCluster: !free,
      clusterId: randomUUID(),
      address: this.addresses ? `198.51.100.${host % 254}` : null,
    };
    this.deployments.set(deployment.id, deployment);
    return deployment;
  }

  private patch(deployment: FakeDeployment, body: unknown): HttpAnswer {
    this.checked('DeploymentUpdate', body, { partial: true });
    const { tags } = body as { tags?: unknown };
    if (tags !== undefined) deployment.tags = tags;
    return new HttpAnswer(200, this.updateWire(deployment));
  }

  private destroy(deployment: FakeDeployment): HttpAnswer {
    const state = this.stateOf(deployment);
    if (state === 'destroyed') throw drf(400, 'This deployment has already been destroyed.');
    if (state !== 'destroying') {
      this.enter(deployment, 'destroying');
      const { offer } = deployment;
      if (offer && !deployment.noCluster) {
        offer.capacity[deployment.region] = (offer.capacity[deployment.region] ?? 0) + 1;
      }
    }
    return new HttpAnswer(204, undefined);
  }

  private task(deployment: FakeDeployment, body: unknown): HttpAnswer {
    const request = body as { action?: unknown; deployment?: unknown };
    // The task names its deployment by UUID; the spec only accepts the object form (see above).
    this.checked('DeploymentTask', {
      ...request,
      ...(request.deployment === deployment.id ? { deployment: this.wire(deployment, false) } : {}),
    });
    const state = this.stateOf(deployment);
    if (request.action === 'stop_instances') {
      if (state !== 'ready') throw drf(400, `Cannot stop a deployment that is ${state}.`);
      this.enter(deployment, 'stopping');
    } else {
      if (state !== 'stopped') throw drf(400, `Cannot start a deployment that is ${state}.`);
      this.enter(deployment, 'starting');
    }
    const now = new Date().toISOString();
    return new HttpAnswer(201, {
      action: request.action,
      created: now,
      deployment: this.wire(deployment, false),
      id: randomUUID(),
      modified: now,
      retries: 0,
      status: 'pending',
      status_text: '',
    });
  }

  private enter(deployment: FakeDeployment, state: State): void {
    deployment.state = state;
    deployment.since = Date.now();
  }

  /** Moves a deployment on by the time spent in its passing state, and answers its state. */
  private stateOf(deployment: FakeDeployment): string {
    const next: Partial<Record<State, State>> = {
      waiting: 'starting',
      starting: 'ready',
      stopping: 'stopped',
      destroying: 'destroyed',
    };
    for (;;) {
      const to = next[deployment.state];
      const stuck = deployment.state === 'waiting' && deployment.noCluster;
      if (!to || stuck || Date.now() - deployment.since < this.stepMs) break;
      deployment.state = to;
      deployment.since += this.stepMs;
    }
    return deployment.forcedState ?? deployment.state;
  }

  /** A deployment as the spec's `Deployment` schema has it. */
  private wire(deployment: FakeDeployment, expandCluster: boolean): Record<string, unknown> {
    const { request } = deployment;
    const state = this.stateOf(deployment);
    const base = {
      created: deployment.created,
      experience: EXPERIENCE_ID,
      id: deployment.id,
      modified: new Date().toISOString(),
      org_name: request.org_name ?? 'Somewhere Else',
      overrides: {},
      pipelines: [],
      services: [],
      provider_name: deployment.offer?.type.cloud ?? null,
      region: deployment.region,
      gpu_model: deployment.offer?.type.gpu.model ?? null,
      gpu_count: deployment.offer?.type.gpu.count ?? 0,
      node_count: 1,
      request_id: request.request_id ?? 'TRY-1',
      requester_email: request.requester_email ?? 'someone@example.com',
      requester_name: request.requester_name ?? 'Someone',
      retry_count: 0,
      ssh_port: 2222,
      ssh_user: 'nvidia',
      state,
      tags: deployment.tags,
    };
    if (!expandCluster || deployment.noCluster) return base;
    return { ...base, cluster: this.clusterWire(deployment, base, state) };
  }

  /** The cluster a deployment runs on, as the spec's `Cluster` schema has it. */
  private clusterWire(
    deployment: FakeDeployment,
    owner: Record<string, unknown>,
    state: string,
  ): Record<string, unknown> {
    const up = state === 'ready';
    return {
      available: false,
      created: deployment.created,
      deployment: owner,
      gpus: [],
      id: deployment.clusterId,
      instances: [],
      last_provisioning_state_change: deployment.created,
      last_used: null,
      modified: deployment.created,
      provider_capacity: true,
      tenant_ids: [],
      provisioning_state: 'deployed',
      public_address: up ? deployment.address : null,
    };
  }

  /** A PATCH answer: the spec's `DeploymentUpdate`, whose required fields may be null. */
  private updateWire(deployment: FakeDeployment): Record<string, unknown> {
    const wire = this.wire(deployment, false);
    const nulls = Object.fromEntries(
      [
        'bastion_operating_system',
        'garage_id',
        'gpu_alias',
        'gpu_os_name',
        'gpu_os_release',
        'gpu_os_version',
        'lifetime',
        'min_gpu_count',
        'oem_name',
        'public_key',
        'sales_created_date',
        'sales_id',
        'workshop',
        'workshop_id',
        'workshop_override_password',
      ].map((k) => [k, null]),
    );
    return {
      ...nulls,
      ...wire,
      cluster: deployment.noCluster ? null : deployment.clusterId,
      priority: 'p3',
    };
  }
}
