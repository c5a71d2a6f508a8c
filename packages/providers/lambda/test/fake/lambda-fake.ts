import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSshKeyPair } from '@cloudplane/sdk';
import { defaultOffers, regionsOf, type FakeOffer, type FakeRegion } from './catalog.js';
import { assertLambdaResponse, requestProblems } from './spec.js';

/**
 * A stateful fake of Lambda Cloud's API on 127.0.0.1: launches appear in the list and use up
 * capacity, terminate frees it and the instance disappears, restart reboots. Every response is
 * checked against Lambda's published spec before it is sent (spec.ts), and request bodies against
 * the spec's request schemas. Faults (errors, dropped connections, launches that happen but
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

export interface Fault {
  /** Answer with this status and a Lambda error body instead of handling the request. */
  readonly status?: number;
  readonly code?: string;
  readonly message?: string;
  readonly retryAfter?: string;
  readonly suggestion?: string;
  /** Per-field problems, as Lambda lists them in `field_errors`. */
  readonly fieldErrors?: Record<string, string>;
  /** Handle the request first (so a launch really happens), then answer with the fault. */
  readonly afterHandling?: boolean;
  /** Close the connection without an answer (after handling, when afterHandling is set). */
  readonly drop?: boolean;
  /** How many requests it hits; default 1. */
  readonly times?: number;
}

interface PendingFault {
  readonly fault: Fault;
  left: number;
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

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly authorization: string | undefined;
  /** When it arrived (Date.now()). */
  readonly at: number;
}

/** An answer; thrown from deep inside a handler to answer early (an error, mostly). */
class HttpAnswer extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
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

export class LambdaFake {
  readonly apiKey: string;
  readonly instances = new Map<string, FakeInstance>();
  readonly sshKeys: FakeKey[] = [];
  readonly requests: RecordedRequest[] = [];
  /** Anything that went wrong inside the fake (a response breaking the spec): tests assert none. */
  readonly violations: Error[] = [];
  offers: FakeOffer[];
  private readonly faults = new Map<string, PendingFault[]>();
  private readonly bootMs: number;
  private readonly terminateMs: number;
  private readonly quota: number;
  private readonly addresses: boolean;
  private server: Server | undefined;
  private nextHost = 2;

  private constructor(options: LambdaFakeOptions) {
    this.apiKey = options.apiKey ?? `secret_fake_${randomBytes(12).toString('hex')}`;
    this.offers = options.offers ?? defaultOffers();
    this.bootMs = options.bootMs ?? 50;
    this.terminateMs = options.terminateMs ?? 50;
    this.quota = options.quota ?? 50;
    this.addresses = options.addresses ?? false;
  }

  static async start(options: LambdaFakeOptions = {}): Promise<LambdaFake> {
    const fake = new LambdaFake(options);
    const server = createServer((req, res) => {
      fake.handle(req, res).catch((err: unknown) => {
        fake.violations.push(err instanceof Error ? err : new Error(String(err)));
        res.socket?.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.server = server;
    return fake;
  }

  /** The base URL for the credential, e.g. http://127.0.0.1:41234/api/v1 */
  get url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('the fake is not listening');
    return `http://127.0.0.1:${address.port}${BASE_PATH}`;
  }

  get credential(): { apiKey: string; baseUrl: string } {
    return { apiKey: this.apiKey, baseUrl: this.url };
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  }

  /** Injects a fault on a route such as `POST /instance-operations/launch`; returns its remover. */
  inject(route: string, fault: Fault): () => void {
    const entry: PendingFault = { fault, left: fault.times ?? 1 };
    const list = this.faults.get(route) ?? [];
    list.push(entry);
    this.faults.set(route, list);
    return () => {
      const current = this.faults.get(route) ?? [];
      this.faults.set(
        route,
        current.filter((f) => f !== entry),
      );
    };
  }

  /** Sets the capacity left for a type in a region. */
  setCapacity(type: string, region: string, count: number): void {
    const offer = this.offers.find((o) => o.instanceType.name === type);
    if (!offer) throw new Error(`the fake has no type ${type}`);
    offer.capacity[region] = count;
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

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.startsWith(BASE_PATH) ? url.pathname.slice(BASE_PATH.length) : '';
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    this.requests.push({
      method,
      path,
      body,
      authorization: req.headers.authorization,
      at: Date.now(),
    });
    this.sweep();
    const { template, params } = match(method, path);
    if (!template) {
      this.send(res, method, '', lambdaError(404, 'global/object-does-not-exist', 'Not found'));
      return;
    }
    const route = `${method} ${template}`;
    if (!this.authorized(req.headers.authorization)) {
      this.send(
        res,
        method,
        template,
        lambdaError(401, 'global/invalid-api-key', 'API key is invalid, expired, or deleted.'),
      );
      return;
    }
    const fault = this.takeFault(route);
    if (fault && fault.afterHandling !== true) {
      this.answerFault(res, method, template, fault);
      return;
    }
    let answer: HttpAnswer;
    try {
      answer = this.route(route, params, body);
    } catch (err) {
      if (err instanceof HttpAnswer) answer = err;
      else throw err;
    }
    if (fault) {
      this.answerFault(res, method, template, fault);
      return;
    }
    this.send(res, method, template, answer);
  }

  private answerFault(res: ServerResponse, method: string, template: string, fault: Fault): void {
    if (fault.drop === true) {
      res.socket?.destroy();
      return;
    }
    const status = fault.status ?? 500;
    const answer = lambdaError(
      status,
      fault.code ?? 'global/unknown',
      fault.message ?? 'Something unexpected occurred.',
      [],
      {
        ...(fault.suggestion !== undefined ? { suggestion: fault.suggestion } : {}),
        ...(fault.fieldErrors !== undefined ? { fieldErrors: fault.fieldErrors } : {}),
      },
    );
    this.send(
      res,
      method,
      template,
      new HttpAnswer(
        answer.status,
        answer.body,
        fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {},
      ),
    );
  }

  private takeFault(route: string): Fault | undefined {
    const list = this.faults.get(route);
    const entry = list?.[0];
    if (!list || !entry) return undefined;
    entry.left--;
    if (entry.left <= 0) list.shift();
    return entry.fault;
  }

  private authorized(header: string | undefined): boolean {
    if (header === undefined) return false;
    const [scheme, value = ''] = header.split(' ', 2);
    if (scheme === 'Bearer') return value === this.apiKey;
    if (scheme === 'Basic') {
      const decoded = Buffer.from(value, 'base64').toString();
      return value === this.apiKey || decoded === `${this.apiKey}:`;
    }
    return false;
  }

  private send(res: ServerResponse, method: string, template: string, answer: HttpAnswer): void {
    if (answer.body !== undefined)
      assertLambdaResponse(method, template, answer.status, answer.body);
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      ...answer.headers,
    });
    res.end(text);
  }

  private route(route: string, params: Record<string, string>, body: unknown): HttpAnswer {
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
    const problems = requestProblems(schema, body);
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
    return Date.now() - instance.bootStartedAt >= this.bootMs ? 'active' : 'booting';
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

const TEMPLATES = [
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

function match(
  method: string,
  path: string,
): { template: string | undefined; params: Record<string, string> } {
  for (const route of TEMPLATES) {
    const [m, template = ''] = route.split(' ');
    if (m !== method) continue;
    const names: string[] = [];
    const pattern = new RegExp(
      `^${template.replace(/\{(\w+)\}/g, (_, n: string) => (names.push(n), '([^/]+)'))}$`,
    );
    const found = pattern.exec(path);
    if (!found) continue;
    const params = Object.fromEntries(
      names.map((n, i) => [n, decodeURIComponent(found[i + 1] ?? '')]),
    );
    return { template, params };
  }
  return { template: undefined, params: {} };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', reject);
  });
}
