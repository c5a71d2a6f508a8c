import { randomBytes, randomUUID } from 'node:crypto';
import { generateSshKeyPair } from '@cloudplane/sdk';
import {
  exhaustCapacity,
  HttpAnswer,
  SpecCheckedFake,
  type InjectedFault,
  type ReceivedRequest,
} from '@cloudplane/provider-testkit';
import { defaultOffers, type FakeOffer } from './catalog.js';
import { shadeformSpec } from './spec.js';

/**
 * A stateful fake of Shadeform's API on 127.0.0.1: launches appear in the list and use up
 * capacity (then Shadeform's out-of-stock error), delete frees it and the instance goes through
 * `deleting` to gone, restart is recorded. The testkit's SpecCheckedFake checks every answer
 * against Shadeform's published spec before it is sent (spec.ts) and records every request;
 * request bodies are checked against the spec's request schemas. Faults
 * (errors in any body shape, dropped connections, launches that happen but answer with an error)
 * are injected per route. Test code only.
 */

interface FakeInstance {
  readonly id: string;
  readonly offer: FakeOffer;
  readonly region: string;
  name: string;
  readonly sshKeyId: string | undefined;
  tags: string[];
  readonly os: string;
  readonly launchConfiguration: unknown;
  readonly createdAt: Date;
  readonly bootStartedAt: number;
  deletingSince?: number;
  /** A status a test forced (error, or a value outside the spec's enum). */
  forcedStatus?: string | undefined;
  readonly ip: string;
  restarts: number;
}

interface FakeKey {
  readonly id: string;
  readonly name: string;
  readonly public_key: string;
  readonly is_default: boolean;
}

/** A fault to inject: the answer's status, Retry-After and timing, and its body. */
export interface Fault extends InjectedFault {
  /** The answer's body: JSON, or text when a string. Default `{ error: message }`. */
  readonly body?: unknown;
  readonly message?: string;
}

export interface ShadeformFakeOptions {
  readonly apiKey?: string;
  readonly offers?: FakeOffer[];
  /** Time from launch to `active`. Default 50 ms. */
  readonly bootMs?: number;
  /** Time an instance stays `deleting` before it is gone. Default 50 ms. */
  readonly terminateMs?: number;
  /** Most live instances the account may have. */
  readonly quota?: number;
  /** Drop the tags of every launch (a Shadeform that does not keep them). */
  readonly loseTags?: boolean;
  /**
   * Give active instances documentation addresses (198.51.100.0/24). Off by default: nothing may
   * connect to them, and the conformance suite skips its SSH checks for instances without one.
   */
  readonly addresses?: boolean;
}

const fail = (status: number, message: string) => new HttpAnswer(status, { error: message });

const BASE_PATH = '/v1';

/** The routes the fake serves, below BASE_PATH. */
const ROUTES = [
  'GET /instances/types',
  'GET /instances',
  'POST /instances/create',
  'GET /instances/{id}/info',
  'POST /instances/{id}/update',
  'POST /instances/{id}/delete',
  'POST /instances/{id}/restart',
  'GET /sshkeys',
  'POST /sshkeys/add',
  'POST /sshkeys/{id}/delete',
];
/** Go's zero time: what a live instance carries in the spec's required `deleted_at`. */
const NEVER = '0001-01-01T00:00:00Z';

/** The spec's SshKey example: its key is folded over several lines, so it cannot be parsed. */
function specExampleKey(): FakeKey {
  const [example] = shadeformSpec.examplesOf('SshKey') as FakeKey[];
  if (!example) throw new Error('the Shadeform spec has no SshKey example');
  return { ...example };
}

export class ShadeformFake extends SpecCheckedFake<Fault> {
  readonly instances = new Map<string, FakeInstance>();
  readonly sshKeys: FakeKey[] = [specExampleKey()];
  offers: FakeOffer[];
  private readonly bootMs: number;
  private readonly terminateMs: number;
  private readonly quota: number;
  private readonly loseTags: boolean;
  private readonly addresses: boolean;
  private nextHost = 2;
  /** While true, nothing finishes booting (see holdBoots). */
  private bootsHeld = false;

  private constructor(options: ShadeformFakeOptions) {
    // The spec declares no error answers, so an undeclared status only has to be an error.
    super(options.apiKey ?? `sf_fake_${randomBytes(12).toString('hex')}`, BASE_PATH, ROUTES, {
      spec: shadeformSpec,
    });
    this.offers = options.offers ?? defaultOffers();
    this.bootMs = options.bootMs ?? 50;
    this.terminateMs = options.terminateMs ?? 50;
    this.quota = options.quota ?? 50;
    this.loseTags = options.loseTags ?? false;
    this.addresses = options.addresses ?? false;
  }

  static async start(options: ShadeformFakeOptions = {}): Promise<ShadeformFake> {
    const fake = new ShadeformFake(options);
    await fake.listen();
    return fake;
  }

  protected override tick(): void {
    this.sweep();
  }

  protected authorized(request: ReceivedRequest): boolean {
    return request.headers['x-api-key'] === this.apiKey;
  }

  protected notFound(): HttpAnswer {
    return fail(404, 'Not found');
  }

  protected unauthorized(): HttpAnswer {
    return fail(401, 'Invalid API key');
  }

  protected faultBody(fault: Fault): unknown {
    return fault.body ?? { error: fault.message ?? 'Internal server error' };
  }

  private offer(cloud: string, shade: string): FakeOffer | undefined {
    return this.offers.find((o) => o.type.cloud === cloud && o.type.shade_instance_type === shade);
  }

  /** Sets the capacity left for `<cloud>.<shade type>` in a region. */
  setCapacity(cloud: string, shade: string, region: string, count: number): void {
    const offer = this.offer(cloud, shade);
    if (!offer) throw new Error(`the fake has no type ${cloud}.${shade}`);
    offer.capacity[region] = count;
  }

  /** Empties every region of every type; returns a function that puts the capacity back. */
  exhaustCapacity(): () => void {
    return exhaustCapacity(this.offers);
  }

  /** An instance made outside cloudplane (in Shadeform's console), with any tags. */
  addInstance(args: { tags: string[]; name?: string }): string {
    const offer = this.offers[1] ?? this.offers[0];
    if (!offer) throw new Error('the fake has no offers');
    const region = Object.keys(offer.capacity)[0] ?? 'us-central-1';
    return this.createInstance(offer, region, {
      name: args.name ?? 'console-box',
      tags: args.tags,
      sshKeyId: undefined,
      os: offer.type.configuration.os_options[0] ?? 'ubuntu',
      launchConfiguration: undefined,
    }).id;
  }

  /**
   * Keeps every instance booting until the returned function is called, so a test can see the
   * booting state however slowly the machine runs; then the boot time counts as usual.
   */
  holdBoots(): () => void {
    this.bootsHeld = true;
    return () => {
      this.bootsHeld = false;
    };
  }

  forceStatus(id: string, status: string | undefined): void {
    const instance = this.instances.get(id);
    if (!instance) throw new Error(`no instance ${id}`);
    instance.forcedStatus = status;
  }

  addKey(name: string, publicKey: string): FakeKey {
    const key = { id: randomUUID(), name, public_key: publicKey, is_default: false };
    this.sshKeys.push(key);
    return key;
  }

  /** Live (not deleting) instances. */
  live(): FakeInstance[] {
    this.sweep();
    return [...this.instances.values()].filter((i) => i.deletingSince === undefined);
  }

  protected handle(route: string, params: Record<string, string>, body: unknown): HttpAnswer {
    switch (route) {
      case 'GET /instances/types':
        return new HttpAnswer(200, { instance_types: this.catalog() });
      case 'GET /instances':
        return new HttpAnswer(200, {
          instances: [...this.instances.values()].map((i) => this.wire(i)),
        });
      case 'POST /instances/create':
        return this.launch(body);
      case 'GET /instances/{id}/info':
        return new HttpAnswer(200, this.info(this.instance(params.id ?? '')));
      case 'POST /instances/{id}/update':
        return this.update(this.instance(params.id ?? ''), body);
      case 'POST /instances/{id}/delete':
        return this.delete(this.instance(params.id ?? ''));
      case 'POST /instances/{id}/restart':
        return this.restart(this.instance(params.id ?? ''));
      case 'GET /sshkeys':
        return new HttpAnswer(200, { ssh_keys: this.sshKeys.map((k) => ({ ...k })) });
      case 'POST /sshkeys/add':
        return this.registerKey(body);
      case 'POST /sshkeys/{id}/delete':
        return this.deleteKey(params.id ?? '');
      default:
        throw fail(404, 'Not found');
    }
  }

  private catalog(): unknown[] {
    return this.offers.map((offer) => ({
      ...offer.type,
      availability: Object.entries(offer.capacity).map(([region, left]) => ({
        region,
        available: left > 0,
        display_name: offer.displayNames?.[region] ?? `Region ${region}`,
      })),
    }));
  }

  private instance(id: string): FakeInstance {
    const instance = this.instances.get(id);
    if (!instance) throw fail(404, `Instance ${id} not found`);
    return instance;
  }

  private checked(schema: string, body: unknown): void {
    const problems = this.requestProblems(schema, body);
    if (problems.length > 0) throw fail(400, `Invalid request: ${problems.join('; ')}`);
  }

  private launch(body: unknown): HttpAnswer {
    this.checked('CreateRequest', body);
    const request = body as {
      cloud: string;
      region: string;
      shade_instance_type: string;
      name: string;
      ssh_key_id?: string;
      tags?: string[];
      os?: string;
      launch_configuration?: unknown;
    };
    const offer = this.offer(request.cloud, request.shade_instance_type);
    if (!offer || !(request.region in offer.capacity)) {
      throw fail(400, `Invalid instance type ${request.shade_instance_type} for ${request.cloud}`);
    }
    if (request.ssh_key_id !== undefined && !this.sshKeys.some((k) => k.id === request.ssh_key_id))
      throw fail(400, `SSH key ${request.ssh_key_id} does not exist`);
    const os = request.os ?? offer.type.configuration.os_options[0] ?? 'ubuntu';
    if (!offer.type.configuration.os_options.includes(os)) {
      throw fail(400, `Invalid os ${os} for this instance type`);
    }
    if (this.live().length >= this.quota) {
      throw fail(400, 'Instance limit reached for this account');
    }
    if ((offer.capacity[request.region] ?? 0) <= 0) {
      throw fail(
        400,
        `${request.shade_instance_type} is out of stock in ${request.region}; try another region or cloud`,
      );
    }
    const instance = this.createInstance(offer, request.region, {
      name: request.name,
      tags: this.loseTags ? [] : (request.tags ?? []),
      sshKeyId: request.ssh_key_id,
      os,
      launchConfiguration: request.launch_configuration,
    });
    return new HttpAnswer(200, { id: instance.id });
  }

  private createInstance(
    offer: FakeOffer,
    region: string,
    args: {
      name: string;
      tags: string[];
      sshKeyId: string | undefined;
      os: string;
      launchConfiguration: unknown;
    },
  ): FakeInstance {
    offer.capacity[region] = Math.max(0, (offer.capacity[region] ?? 0) - 1);
    const host = this.nextHost++;
    const instance: FakeInstance = {
      id: randomUUID(),
      offer,
      region,
      name: args.name,
      sshKeyId: args.sshKeyId,
      tags: [...args.tags],
      os: args.os,
      launchConfiguration: args.launchConfiguration,
      createdAt: new Date(),
      bootStartedAt: Date.now(),
      // Documentation addresses (198.51.100.0/24): nothing may connect to them.
      ip: `198.51.100.${host % 254}`,
      restarts: 0,
    };
    this.instances.set(instance.id, instance);
    return instance;
  }

  private update(instance: FakeInstance, body: unknown): HttpAnswer {
    this.checked('UpdateRequest', body);
    const request = body as { name?: string; tags?: string[] | null };
    if (request.name !== undefined) instance.name = request.name;
    if (request.tags !== undefined) instance.tags = request.tags ?? [];
    return new HttpAnswer(200, undefined);
  }

  private delete(instance: FakeInstance): HttpAnswer {
    if (instance.deletingSince !== undefined) {
      throw fail(400, `Instance ${instance.id} is already being deleted`);
    }
    instance.deletingSince = Date.now();
    const { capacity } = instance.offer;
    capacity[instance.region] = (capacity[instance.region] ?? 0) + 1;
    return new HttpAnswer(200, undefined);
  }

  private restart(instance: FakeInstance): HttpAnswer {
    if (this.statusOf(instance) !== 'active') {
      throw fail(400, `Instance ${instance.id} is not active and cannot be restarted`);
    }
    instance.restarts++;
    return new HttpAnswer(200, undefined);
  }

  private registerKey(body: unknown): HttpAnswer {
    this.checked('AddSshKeyRequest', body);
    const request = body as { name: string; public_key: string };
    if (this.sshKeys.some((k) => k.name === request.name)) {
      throw fail(400, 'An SSH key with this name already exists');
    }
    return new HttpAnswer(200, { id: this.addKey(request.name, request.public_key).id });
  }

  private deleteKey(id: string): HttpAnswer {
    const index = this.sshKeys.findIndex((k) => k.id === id);
    const key = this.sshKeys[index];
    if (!key) throw fail(404, 'SSH key not found');
    if (this.live().some((i) => i.sshKeyId === key.id)) {
      throw fail(400, 'The SSH key is in use');
    }
    this.sshKeys.splice(index, 1);
    return new HttpAnswer(200, undefined);
  }

  /** Instances deleting longer than terminateMs are gone. */
  private sweep(): void {
    const now = Date.now();
    for (const [id, instance] of this.instances) {
      if (instance.deletingSince !== undefined && now - instance.deletingSince >= this.terminateMs)
        this.instances.delete(id);
    }
  }

  private statusOf(instance: FakeInstance): string {
    if (instance.deletingSince !== undefined) return 'deleting';
    if (instance.forcedStatus !== undefined) return instance.forcedStatus;
    const age = Date.now() - instance.bootStartedAt;
    if (age >= this.bootMs && !this.bootsHeld) return 'active';
    return age >= this.bootMs / 2 ? 'pending_provider' : 'creating';
  }

  private wire(instance: FakeInstance): Record<string, unknown> {
    const status = this.statusOf(instance);
    const { type } = instance.offer;
    const { os_options: _options, ...configuration } = type.configuration;
    return {
      id: instance.id,
      cloud: type.cloud,
      region: instance.region,
      shade_instance_type: type.shade_instance_type,
      cloud_instance_type: type.cloud_instance_type,
      cloud_assigned_id: `${type.cloud}-${instance.id.slice(0, 8)}`,
      shade_cloud: true,
      name: instance.name,
      configuration: { ...configuration, os: instance.os },
      ip: status === 'active' && this.addresses ? instance.ip : '',
      ssh_user: 'shadeform',
      ssh_port: 22,
      status,
      status_details: status === 'active' ? 'ready' : 'provisioning',
      cost_estimate: '0.00',
      hourly_price: type.hourly_price,
      tags: [...instance.tags],
      port_mappings: [],
      created_at: instance.createdAt.toISOString(),
      deleted_at: NEVER,
      ...(instance.launchConfiguration !== undefined
        ? { launch_configuration: instance.launchConfiguration }
        : {}),
    };
  }

  private info(instance: FakeInstance): Record<string, unknown> {
    const { port_mappings: _ports, ...rest } = this.wire(instance);
    return {
      ...rest,
      ...(instance.sshKeyId !== undefined ? { ssh_key_id: instance.sshKeyId } : {}),
    };
  }
}

/** A key pair for tests (ed25519, OpenSSH). */
export const testKeys = generateSshKeyPair('alice@laptop');
