import { randomBytes } from 'node:crypto';
import { generateSshKeyPair } from '@cloudplane/sdk';
import {
  exhaustCapacity,
  HttpAnswer,
  SpecCheckedFake,
  type InjectedFault,
  type ReceivedRequest,
} from '@cloudplane/provider-testkit';
import { defaultOffers, regionsOf, type FakeOffer, type FakeRegion } from './catalog.js';
import { LAMBDA_ERROR_SCHEMA, lambdaSpec } from './spec.js';

/**
 * A stateful fake of Lambda Cloud's API on 127.0.0.1: launches appear in the list and use up
 * capacity, terminate frees it and the instance disappears, restart reboots. The testkit's
 * SpecCheckedFake checks every response against Lambda's published spec before it is sent
 * (spec.ts) and records every request; request bodies are checked against the spec's schemas. Faults (errors, dropped connections, launches that happen but
 * answer with an error) are injected per route. Test code only.
 */

type LambdaStatus = 'active' | 'booting' | 'unhealthy' | 'terminating' | 'terminated';

interface FakeInstance {
  readonly id: string;
  readonly name: string | null;
  readonly region: FakeRegion;
  readonly offer: FakeOffer;
  readonly keyName: string;
  bootStartedAt: number;
  terminatingSince?: number;
  /** A status a test forced (unhealthy, or a value outside the spec's enum). */
  forcedStatus?: string | undefined;
  readonly ip: string | null;
  readonly privateIp: string | null;
}

interface FakeKey {
  readonly id: string;
  readonly name: string;
  readonly public_key: string;
}

/** A fault to inject: the answer's status, Retry-After and timing, and Lambda's error body. */
export interface Fault extends InjectedFault {
  readonly code?: string;
  readonly message?: string;
  readonly suggestion?: string;
  /** Per-field problems, as Lambda lists them in `field_errors`. */
  readonly fieldErrors?: Record<string, string>;
}

export interface LambdaFakeOptions {
  readonly apiKey?: string;
  readonly offers?: FakeOffer[];
  /** Time from launch or restart to `active`. Default 50 ms. */
  readonly bootMs?: number;
  /** Time an instance stays `terminating` before it is gone. Default 50 ms. */
  readonly terminateMs?: number;
  /** Most live instances the account may have. */
  readonly quota?: number;
  /**
   * Give instances documentation addresses (198.51.100.0/24). Off by default: nothing may connect
   * to them, and the conformance suite skips its SSH checks for instances without an address.
   */
  readonly addresses?: boolean;
}

function lambdaError(
  status: number,
  code: string,
  message: string,
  problems: readonly string[] = [],
  extra: { suggestion?: string; fieldErrors?: Record<string, string> } = {},
) {
  const fields: Record<string, string> = {
    ...Object.fromEntries(problems.map((p, i) => [`field_${i}`, p])),
    ...extra.fieldErrors,
  };
  const detail = (c: string, m: string) => ({ code: c, message: m, suggestion: null });
  return new HttpAnswer(status, {
    error: { code, message, suggestion: extra.suggestion ?? null },
    ...(Object.keys(fields).length > 0
      ? {
          field_errors: Object.fromEntries(
            Object.entries(fields).map(([f, m]) => [f, detail('global/invalid-parameters', m)]),
          ),
        }
      : {}),
  });
}

const BASE_PATH = '/api/v1';

/** The routes the fake serves, below BASE_PATH. */
const ROUTES = [
  'GET /instance-types',
  'GET /instances',
  'GET /instances/{id}',
  'POST /instance-operations/launch',
  'POST /instance-operations/terminate',
  'POST /instance-operations/restart',
  'GET /ssh-keys',
  'POST /ssh-keys',
  'DELETE /ssh-keys/{id}',
  'GET /file-systems',
];

export class LambdaFake extends SpecCheckedFake<Fault> {
  readonly instances = new Map<string, FakeInstance>();
  readonly sshKeys: FakeKey[] = [];
  offers: FakeOffer[];
  private readonly bootMs: number;
  private readonly terminateMs: number;
  private readonly quota: number;
  private readonly addresses: boolean;
  private nextHost = 2;
  /** While true, nothing finishes booting (see holdBoots). */
  private bootsHeld = false;

  private constructor(options: LambdaFakeOptions) {
    super(options.apiKey ?? `secret_fake_${randomBytes(12).toString('hex')}`, BASE_PATH, ROUTES, {
      spec: lambdaSpec,
      // Statuses an operation does not declare (429 and 5xx from Lambda's edge) still carry it.
      errorSchema: LAMBDA_ERROR_SCHEMA,
      // DELETE answers have no body, though the spec declares one.
      checkEmptyBodies: false,
    });
    this.offers = options.offers ?? defaultOffers();
    this.bootMs = options.bootMs ?? 50;
    this.terminateMs = options.terminateMs ?? 50;
    this.quota = options.quota ?? 50;
    this.addresses = options.addresses ?? false;
  }

  static async start(options: LambdaFakeOptions = {}): Promise<LambdaFake> {
    const fake = new LambdaFake(options);
    await fake.listen();
    return fake;
  }

  /** Sets the capacity left for a type in a region. */
  setCapacity(type: string, region: string, count: number): void {
    const offer = this.offers.find((o) => o.instanceType.name === type);
    if (!offer) throw new Error(`the fake has no type ${type}`);
    offer.capacity[region] = count;
  }

  /** Empties every region of every type; returns a function that puts the capacity back. */
  exhaustCapacity(): () => void {
    return exhaustCapacity(this.offers);
  }

  /** An instance made outside cloudplane (in Lambda's console): any name, or none. */
  addInstance(args: { name: string | null; type?: string; region?: string }): string {
    const offer =
      this.offers.find((o) => o.instanceType.name === (args.type ?? 'gpu_1x_a10')) ??
      this.offers[0];
    if (!offer) throw new Error('the fake has no offers');
    const region = this.region(args.region ?? Object.keys(offer.capacity)[0] ?? 'us-east-1');
    const key = this.sshKeys[0] ?? this.addKey('console-key', generateSshKeyPair().publicKey);
    return this.createInstance(offer, region, key.name, args.name).id;
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
    const key = { id: randomBytes(16).toString('hex'), name, public_key: publicKey };
    this.sshKeys.push(key);
    return key;
  }

  /** Live (not terminating) instances. */
  live(): FakeInstance[] {
    this.sweep();
    return [...this.instances.values()].filter((i) => i.terminatingSince === undefined);
  }

  protected override tick(): void {
    this.sweep();
  }

  protected authorized(request: ReceivedRequest): boolean {
    const header = request.headers.authorization;
    if (header === undefined) return false;
    const [scheme, value = ''] = header.split(' ', 2);
    if (scheme === 'Bearer') return value === this.apiKey;
    if (scheme === 'Basic') {
      const decoded = Buffer.from(value, 'base64').toString();
      return value === this.apiKey || decoded === `${this.apiKey}:`;
    }
    return false;
  }

  protected notFound(): HttpAnswer {
    return lambdaError(404, 'global/object-does-not-exist', 'Not found');
  }

  protected unauthorized(): HttpAnswer {
    return lambdaError(401, 'global/invalid-api-key', 'API key is invalid, expired, or deleted.');
  }

  /** Lambda's error body, from the fault's code, message, suggestion and field errors. */
  protected faultBody(fault: Fault): unknown {
    return lambdaError(
      fault.status ?? 500,
      fault.code ?? 'global/unknown',
      fault.message ?? 'Something unexpected occurred.',
      [],
      {
        ...(fault.suggestion !== undefined ? { suggestion: fault.suggestion } : {}),
        ...(fault.fieldErrors !== undefined ? { fieldErrors: fault.fieldErrors } : {}),
      },
    ).body;
  }

  protected handle(route: string, params: Record<string, string>, body: unknown): HttpAnswer {
    switch (route) {
      case 'GET /instance-types':
        return new HttpAnswer(200, { data: this.catalog() });
      case 'GET /instances':
        return new HttpAnswer(200, { data: [...this.instances.values()].map((i) => this.wire(i)) });
      case 'GET /instances/{id}':
        return new HttpAnswer(200, { data: this.wire(this.instance(params.id ?? '')) });
      case 'POST /instance-operations/launch':
        return this.launch(body);
      case 'POST /instance-operations/terminate':
        return this.terminate(body);
      case 'POST /instance-operations/restart':
        return this.restart(body);
      case 'GET /ssh-keys':
        return new HttpAnswer(200, { data: this.sshKeys.map((k) => ({ ...k })) });
      case 'POST /ssh-keys':
        return this.registerKey(body);
      case 'DELETE /ssh-keys/{id}':
        return this.deleteKey(params.id ?? '');
      case 'GET /file-systems':
        return new HttpAnswer(200, { data: [] });
      default:
        throw lambdaError(404, 'global/object-does-not-exist', 'Not found');
    }
  }

  private catalog(): Record<string, unknown> {
    return Object.fromEntries(
      this.offers.map((offer) => [
        offer.instanceType.name,
        {
          instance_type: offer.instanceType,
          regions_with_capacity_available: Object.entries(offer.capacity)
            .filter(([, left]) => left > 0)
            .map(([name]) => this.region(name)),
        },
      ]),
    );
  }

  private region(name: string): FakeRegion {
    return (
      regionsOf(this.offers).find((r) => r.name === name) ?? { name, description: `Region ${name}` }
    );
  }

  private instance(id: string): FakeInstance {
    const instance = this.instances.get(id);
    if (!instance) throw lambdaError(404, 'global/object-does-not-exist', 'Instance not found');
    return instance;
  }

  private checked(schema: string, body: unknown): void {
    const problems = this.requestProblems(schema, body);
    if (problems.length > 0) {
      throw lambdaError(400, 'global/invalid-parameters', 'Invalid request parameters', problems);
    }
  }

  private launch(body: unknown): HttpAnswer {
    this.checked('launchInstance_request', body);
    const request = body as {
      region_name: string;
      instance_type_name: string;
      ssh_key_names: string[];
      name?: string | null;
    };
    const offer = this.offers.find((o) => o.instanceType.name === request.instance_type_name);
    if (!offer) throw lambdaError(404, 'global/object-does-not-exist', 'Instance type not found');
    const keyName = request.ssh_key_names[0] ?? '';
    if (!this.sshKeys.some((k) => k.name === keyName)) {
      throw lambdaError(404, 'global/object-does-not-exist', `SSH key ${keyName} not found`);
    }
    if (this.live().length >= this.quota) {
      throw lambdaError(400, 'global/quota-exceeded', 'Instance quota exceeded');
    }
    if ((offer.capacity[request.region_name] ?? 0) <= 0) {
      throw lambdaError(
        400,
        'instance-operations/launch/insufficient-capacity',
        'Not enough capacity to fulfill launch request.',
      );
    }
    const instance = this.createInstance(
      offer,
      this.region(request.region_name),
      keyName,
      request.name ?? null,
    );
    return new HttpAnswer(200, { data: { instance_ids: [instance.id] } });
  }

  private createInstance(
    offer: FakeOffer,
    region: FakeRegion,
    keyName: string,
    name: string | null,
  ): FakeInstance {
    offer.capacity[region.name] = Math.max(0, (offer.capacity[region.name] ?? 0) - 1);
    const host = this.nextHost++;
    const instance: FakeInstance = {
      id: randomBytes(16).toString('hex'),
      name,
      region,
      offer,
      keyName,
      bootStartedAt: Date.now(),
      ip: this.addresses ? `198.51.100.${host % 254}` : null,
      privateIp: this.addresses ? `10.0.2.${host % 254}` : null,
    };
    this.instances.set(instance.id, instance);
    return instance;
  }

  private terminate(body: unknown): HttpAnswer {
    this.checked('terminateInstance_request', body);
    const ids = (body as { instance_ids: string[] }).instance_ids;
    const targets = ids.map((id) => this.instance(id));
    for (const instance of targets) {
      if (instance.terminatingSince !== undefined) continue;
      instance.terminatingSince = Date.now();
      const { capacity } = instance.offer;
      capacity[instance.region.name] = (capacity[instance.region.name] ?? 0) + 1;
    }
    return new HttpAnswer(200, {
      data: { terminated_instances: targets.map((i) => this.wire(i)) },
    });
  }

  private restart(body: unknown): HttpAnswer {
    this.checked('restartInstance_request', body);
    const ids = (body as { instance_ids: string[] }).instance_ids;
    const targets = ids.map((id) => this.instance(id));
    if (targets.some((i) => i.terminatingSince !== undefined)) {
      throw lambdaError(400, 'global/invalid-parameters', 'Cannot restart a terminated instance');
    }
    for (const instance of targets) instance.bootStartedAt = Date.now();
    return new HttpAnswer(200, { data: { restarted_instances: targets.map((i) => this.wire(i)) } });
  }

  private registerKey(body: unknown): HttpAnswer {
    this.checked('addSSHKey_request', body);
    const request = body as { name: string; public_key?: string };
    if (this.sshKeys.some((k) => k.name === request.name)) {
      throw lambdaError(400, 'global/invalid-parameters', 'An SSH key with this name exists');
    }
    if (request.public_key === undefined) {
      const pair = generateSshKeyPair(request.name);
      const key = this.addKey(request.name, pair.publicKey);
      return new HttpAnswer(200, { data: { ...key, private_key: pair.privateKey } });
    }
    return new HttpAnswer(200, { data: { ...this.addKey(request.name, request.public_key) } });
  }

  private deleteKey(id: string): HttpAnswer {
    const index = this.sshKeys.findIndex((k) => k.id === id);
    const key = this.sshKeys[index];
    if (!key) throw lambdaError(400, 'global/invalid-parameters', 'No such SSH key');
    if (this.live().some((i) => i.keyName === key.name)) {
      throw lambdaError(400, 'ssh-keys/key-in-use', 'The SSH key is in use');
    }
    this.sshKeys.splice(index, 1);
    return new HttpAnswer(200, undefined);
  }

  /** Instances terminated longer than terminateMs ago are gone. */
  private sweep(): void {
    const now = Date.now();
    for (const [id, instance] of this.instances) {
      if (
        instance.terminatingSince !== undefined &&
        now - instance.terminatingSince >= this.terminateMs
      ) {
        this.instances.delete(id);
      }
    }
  }

  private statusOf(instance: FakeInstance): string {
    if (instance.terminatingSince !== undefined) return 'terminating' satisfies LambdaStatus;
    if (instance.forcedStatus !== undefined) return instance.forcedStatus;
    const booted = !this.bootsHeld && Date.now() - instance.bootStartedAt >= this.bootMs;
    return booted ? 'active' : 'booting';
  }

  private wire(instance: FakeInstance): Record<string, unknown> {
    const active = this.statusOf(instance) === 'active';
    return {
      id: instance.id,
      name: instance.name,
      ip: active ? instance.ip : null,
      private_ip: active ? instance.privateIp : null,
      status: this.statusOf(instance),
      ssh_key_names: [instance.keyName],
      file_system_names: [],
      region: instance.region,
      instance_type: instance.offer.instanceType,
      hostname: active && instance.ip !== null ? instance.ip : null,
      jupyter_token: null,
      jupyter_url: null,
      is_reserved: false,
    };
  }
}
