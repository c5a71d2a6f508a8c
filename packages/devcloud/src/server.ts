import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { VirtualBackend, type MachineBackend } from './backend.js';
import { Cloud, CloudError, type CloudInstance, type Timings } from './cloud.js';
import {
  FaultConfigSchema,
  FaultInjector,
  type Endpoint,
  type FaultConfigInput,
  type MutatingEndpoint,
} from './faults.js';

/**
 * devcloud's HTTP API (documented in openapi.yaml beside this package). JSON in and out,
 * `Authorization: Bearer <apiKey>`, errors as `{ "error": { "code", "message" } }`, lists
 * paginated with opaque cursors. Admin endpoints under /admin take the admin key.
 */

export interface DevcloudOptions {
  readonly port?: number;
  readonly host?: string;
  readonly seed?: number;
  readonly catalogSize?: number;
  readonly capacityPerOffer?: number;
  readonly instanceQuota?: number;
  readonly timings?: Partial<Timings>;
  readonly faults?: FaultConfigInput;
  readonly backend?: MachineBackend;
  readonly apiKey?: string;
  readonly adminKey?: string;
  /** Instances created at start, running, for scale tests. */
  readonly seedInstances?: number;
}

export interface Devcloud {
  readonly url: string;
  readonly apiKey: string;
  readonly adminKey: string;
  readonly cloud: Cloud;
  readonly faults: FaultInjector;
  close(): Promise<void>;
}

const MAX_PAGE = 500;
const DEFAULT_PAGE = 100;

const PageQuery = z.object({
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(DEFAULT_PAGE),
});

const TagsSchema = z.record(z.string().min(1).max(128), z.string().max(256));

const LaunchBody = z.object({
  name: z.string().max(128).default(''),
  instance_type: z.string().min(1),
  region: z.string().min(1),
  zone: z.string().min(1).nullable().default(null),
  ssh_key_id: z.string().optional(),
  public_key: z.string().optional(),
  user_data: z
    .string()
    .max(64 * 1024)
    .optional(),
  tags: TagsSchema.default({}),
});

function encodeCursor(value: number): string {
  return Buffer.from(JSON.stringify({ after: value })).toString('base64url');
}

function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  try {
    const parsed = z
      .object({ after: z.number().int().nonnegative() })
      .parse(JSON.parse(Buffer.from(cursor, 'base64url').toString()));
    return parsed.after;
  } catch {
    throw new CloudError(400, 'request/invalid', 'cursor is not one this API issued');
  }
}

function instanceJson(i: CloudInstance) {
  return {
    id: i.id,
    name: i.name,
    instance_type: i.instanceType,
    region: i.region,
    zone: i.zone,
    status: i.status,
    status_message: i.statusMessage,
    created_at: i.createdAt,
    public_ip: i.publicIp,
    private_ip: i.privateIp,
    ssh_user: i.sshUser,
    ssh_port: i.sshPort,
    disk_gb: i.diskGb,
    tags: i.tags,
  };
}

function adminInstanceJson(i: CloudInstance) {
  return {
    id: i.id,
    name: i.name,
    instance_type: i.instanceType,
    region: i.region,
    zone: i.zone,
    status: i.status,
    tags: i.tags,
    created_at: i.createdAt,
    terminated_at: i.terminatedAt === null ? null : new Date(i.terminatedAt).toISOString(),
  };
}

/** The same answer before and after acceptance: the caller must not be able to tell them apart. */
function injectedError(status: number): CloudError {
  return new CloudError(
    status,
    status >= 500 ? 'internal' : 'request/invalid',
    `injected fault: HTTP ${status}`,
  );
}

/** Holds the answer back until the client gives up (or, at the latest, two minutes pass). */
function hang(request: FastifyRequest): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 120_000).unref();
    request.raw.socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new CloudError(
    400,
    'request/invalid',
    `${what}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
  );
}

export async function startDevcloud(options: DevcloudOptions = {}): Promise<Devcloud> {
  const seed = options.seed ?? 1;
  const faults = new FaultInjector(options.faults ?? {}, seed);
  const cloud = new Cloud({
    seed,
    backend: options.backend ?? new VirtualBackend(),
    faults,
    ...(options.catalogSize !== undefined ? { catalogSize: options.catalogSize } : {}),
    ...(options.capacityPerOffer !== undefined
      ? { capacityPerOffer: options.capacityPerOffer }
      : {}),
    ...(options.instanceQuota !== undefined ? { instanceQuota: options.instanceQuota } : {}),
    ...(options.timings !== undefined ? { timings: options.timings } : {}),
  });
  if (options.seedInstances !== undefined)
    cloud.seedRunning(options.seedInstances, { seeded: 'true' });
  const apiKey = options.apiKey ?? `dc_${randomBytes(18).toString('base64url')}`;
  const adminKey = options.adminKey ?? `dca_${randomBytes(18).toString('base64url')}`;
  const app = buildApp(cloud, faults, apiKey, adminKey);
  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  return {
    url: address,
    apiKey,
    adminKey,
    cloud,
    faults,
    async close() {
      await app.close();
      await cloud.close();
    },
  };
}

function buildApp(
  cloud: Cloud,
  faults: FaultInjector,
  apiKey: string,
  adminKey: string,
): FastifyInstance {
  // forceCloseConnections: a hanging (injected timeout) request must not hold up close().
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024, forceCloseConnections: true });
  const pageCounters = new Map<string, number>();

  app.setErrorHandler((err: unknown, _request, reply) => {
    if (err instanceof CloudError) {
      void reply.status(err.status).send({ error: { code: err.code, message: err.message } });
      return;
    }
    const status =
      typeof (err as { statusCode?: unknown }).statusCode === 'number'
        ? (err as { statusCode: number }).statusCode
        : 500;
    const message = err instanceof Error ? err.message : 'internal error';
    void reply
      .status(status)
      .send({ error: { code: status < 500 ? 'request/invalid' : 'internal', message } });
  });

  function bearer(request: FastifyRequest): string | undefined {
    const header = request.headers.authorization;
    return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
  }

  /** Auth, then injected faults; returns false when a fault already answered. */
  async function gate(
    request: FastifyRequest,
    reply: FastifyReply,
    endpoint: Endpoint,
  ): Promise<boolean> {
    if (bearer(request) !== apiKey) {
      throw new CloudError(401, 'auth/invalid-api-key', 'missing or invalid API key');
    }
    for (const rule of faults.decide(endpoint)) {
      switch (rule.kind) {
        case 'latency':
          await new Promise((r) => setTimeout(r, rule.latencyMs));
          break;
        case 'error':
          throw injectedError(rule.status);
        case 'rate-limit':
          void reply.header('retry-after', String(rule.retryAfterSeconds));
          throw new CloudError(429, 'rate/limited', 'too many requests');
        case 'timeout':
          await hang(request);
          return false;
        case 'malformed':
          void reply
            .status(200)
            .header('content-type', 'application/json')
            .send('{"instances": [ {"id": oops');
          return false;
        case 'truncated':
          reply.hijack();
          reply.raw.writeHead(200, {
            'content-type': 'application/json',
            'content-length': '4096',
          });
          // Fewer bytes than promised, then the connection drops, as a crashed proxy would.
          reply.raw.write('{"instances": [{"id": "i-1"');
          reply.raw.socket?.destroy();
          return false;
        case 'error-after':
        case 'timeout-after':
          // FaultInjector.decide never returns these; answer() handles them.
          break;
      }
    }
    return true;
  }

  /**
   * Sends the answer of a request that has already taken effect, unless an `-after` fault
   * fires: then the change stays and the caller gets an error or no answer at all.
   */
  async function answer(
    request: FastifyRequest,
    reply: FastifyReply,
    endpoint: MutatingEndpoint,
    status: number,
    body: unknown,
  ): Promise<FastifyReply> {
    const rule = faults.decideAfter(endpoint);
    if (rule?.kind === 'error-after') throw injectedError(rule.status);
    if (rule?.kind === 'timeout-after') {
      await hang(request);
      return reply;
    }
    return reply.status(status).send(body);
  }

  /** The nth page of each list walk fails when `failPage` is set. */
  function checkPage(kind: string, cursor: string | undefined): void {
    const failPage = faults.current.failPage;
    if (failPage === undefined) return;
    const page = cursor === undefined ? 1 : (pageCounters.get(`${kind}:${cursor}`) ?? 2);
    if (page === failPage)
      throw new CloudError(503, 'unavailable', `injected fault: page ${page} of ${kind} failed`);
  }

  function notePage(kind: string, cursor: string | undefined, next: string | null): void {
    if (next === null) return;
    const page = cursor === undefined ? 1 : (pageCounters.get(`${kind}:${cursor}`) ?? 2);
    pageCounters.set(`${kind}:${next}`, page + 1);
  }

  app.get('/v1/regions', async (request, reply) => {
    if (!(await gate(request, reply, 'regions'))) return reply;
    return {
      regions: cloud.regions.map((r) => ({
        id: r.id,
        name: r.name,
        country: r.country,
        zones: r.zones,
        available: r.available,
      })),
    };
  });

  app.get('/v1/instance-types', async (request, reply) => {
    if (!(await gate(request, reply, 'listInstanceTypes'))) return reply;
    const query = parse(
      PageQuery.extend({ region: z.string().optional() }),
      request.query,
      'query',
    );
    checkPage('types', query.cursor);
    const start = decodeCursor(query.cursor);
    let scanned = start;
    const items = [];
    for (const offer of cloud.offers.slice(start)) {
      if (items.length >= query.limit) break;
      scanned++;
      if (query.region !== undefined && offer.region !== query.region) continue;
      items.push({
        name: offer.name,
        region: offer.region,
        zone: offer.zone,
        gpu: { count: offer.gpuCount, description: offer.gpuDescription },
        vcpus: offer.vcpus,
        memory_gib: offer.memoryGib,
        disk_gb: offer.diskGb,
        price_per_hour: offer.pricePerHour,
        available_capacity: offer.capacity,
        stoppable: offer.stoppable,
      });
    }
    const next = scanned < cloud.offers.length ? encodeCursor(scanned) : null;
    notePage('types', query.cursor, next);
    return { instance_types: items, next_cursor: next };
  });

  app.post('/v1/instances', async (request, reply) => {
    if (!(await gate(request, reply, 'createInstance'))) return reply;
    const body = parse(LaunchBody, request.body, 'body');
    let publicKey = body.public_key;
    if (body.ssh_key_id !== undefined) {
      const key = cloud.sshKeys.get(body.ssh_key_id);
      if (!key)
        throw new CloudError(404, 'ssh-key/not-found', `no SSH key with id ${body.ssh_key_id}`);
      publicKey = key.publicKey;
    }
    if (publicKey === undefined)
      throw new CloudError(400, 'request/invalid', 'give ssh_key_id or public_key');
    const instance = cloud.launch({
      name: body.name,
      instanceType: body.instance_type,
      region: body.region,
      zone: body.zone,
      publicKey,
      userData: body.user_data,
      tags: body.tags,
    });
    return answer(request, reply, 'createInstance', 202, { instance: instanceJson(instance) });
  });

  app.get('/v1/instances', async (request, reply) => {
    if (!(await gate(request, reply, 'listInstances'))) return reply;
    const query = parse(
      PageQuery.extend({ region: z.string().optional(), tag: z.string().optional() }),
      request.query,
      'query',
    );
    checkPage('instances', query.cursor);
    const [tagKey, tagValue] =
      query.tag === undefined ? [undefined, undefined] : splitTag(query.tag);
    const { items, last } = cloud.page(
      decodeCursor(query.cursor),
      query.limit,
      (i) =>
        (query.region === undefined || i.region === query.region) &&
        (tagKey === undefined || i.tags[tagKey] === tagValue),
    );
    const next = last === null ? null : encodeCursor(last);
    notePage('instances', query.cursor, next);
    return { instances: items.map(instanceJson), next_cursor: next };
  });

  app.get('/v1/instances/:id', async (request, reply) => {
    if (!(await gate(request, reply, 'getInstance'))) return reply;
    const { id } = parse(z.object({ id: z.string() }), request.params, 'path');
    return { instance: instanceJson(cloud.find(id)) };
  });

  app.delete('/v1/instances/:id', async (request, reply) => {
    if (!(await gate(request, reply, 'terminateInstance'))) return reply;
    const { id } = parse(z.object({ id: z.string() }), request.params, 'path');
    const instance = cloud.terminate(id);
    return answer(request, reply, 'terminateInstance', 202, { instance: instanceJson(instance) });
  });

  for (const [action, endpoint] of [
    ['stop', 'stopInstance'],
    ['start', 'startInstance'],
    ['reboot', 'rebootInstance'],
  ] as const) {
    app.post(`/v1/instances/:id/${action}`, async (request, reply) => {
      if (!(await gate(request, reply, endpoint))) return reply;
      const { id } = parse(z.object({ id: z.string() }), request.params, 'path');
      const instance = cloud[action](id);
      return answer(request, reply, endpoint, 202, { instance: instanceJson(instance) });
    });
  }

  app.patch('/v1/instances/:id/tags', async (request, reply) => {
    if (!(await gate(request, reply, 'updateTags'))) return reply;
    const { id } = parse(z.object({ id: z.string() }), request.params, 'path');
    const body = parse(z.object({ tags: TagsSchema }), request.body, 'body');
    const instance = cloud.find(id);
    Object.assign(instance.tags, body.tags);
    return answer(request, reply, 'updateTags', 200, { instance: instanceJson(instance) });
  });

  app.get('/v1/ssh-keys', async (request, reply) => {
    if (!(await gate(request, reply, 'sshKeys'))) return reply;
    return { ssh_keys: [...cloud.sshKeys.values()].map(keyJson) };
  });

  app.post('/v1/ssh-keys', async (request, reply) => {
    if (!(await gate(request, reply, 'sshKeys'))) return reply;
    const body = parse(
      z.object({
        name: z.string().min(1).max(64),
        public_key: z
          .string()
          .regex(/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-\S+) \S+/, 'an OpenSSH public key'),
      }),
      request.body,
      'body',
    );
    return reply
      .status(201)
      .send({ ssh_key: keyJson(cloud.addSshKey(body.name, body.public_key)) });
  });

  app.delete('/v1/ssh-keys/:id', async (request, reply) => {
    if (!(await gate(request, reply, 'sshKeys'))) return reply;
    const { id } = parse(z.object({ id: z.string() }), request.params, 'path');
    if (!cloud.sshKeys.delete(id))
      throw new CloudError(404, 'ssh-key/not-found', `no SSH key with id ${id}`);
    return reply.status(204).send();
  });

  registerAdmin(app, cloud, faults, adminKey);
  return app;
}

function splitTag(tag: string): [string, string] {
  const at = tag.indexOf(':');
  if (at <= 0) throw new CloudError(400, 'request/invalid', 'tag filter must be key:value');
  return [tag.slice(0, at), tag.slice(at + 1)];
}

function keyJson(k: { id: string; name: string; publicKey: string; createdAt: string }) {
  return { id: k.id, name: k.name, public_key: k.publicKey, created_at: k.createdAt };
}

/** Operator endpoints: faults, prices, capacity, quota, and the ground truth of instances. */
function registerAdmin(
  app: FastifyInstance,
  cloud: Cloud,
  faults: FaultInjector,
  adminKey: string,
): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const header = request.headers.authorization;
    if (request.url.startsWith('/admin/') && header !== `Bearer ${adminKey}`) {
      done(new CloudError(401, 'auth/invalid-admin-key', 'missing or invalid admin key'));
      return;
    }
    done();
  });

  app.get('/admin/faults', () => faults.current);

  // Never faulted and never paginated: what tests count real instances with, e.g. per refId tag,
  // when the /v1 answers are the thing under test.
  app.get('/admin/instances', (request) => {
    const query = parse(z.object({ tag: z.string().optional() }), request.query, 'query');
    const [tagKey, tagValue] =
      query.tag === undefined ? [undefined, undefined] : splitTag(query.tag);
    const held = cloud.held().filter((i) => tagKey === undefined || i.tags[tagKey] === tagValue);
    return { instances: held.map(adminInstanceJson) };
  });
  app.put('/admin/faults', (request) => {
    const body = parse(FaultConfigSchema, request.body, 'faults');
    return faults.replace(body);
  });

  app.post('/admin/prices', (request) => {
    const body = parse(
      z.object({
        changes: z.array(
          z.object({ name: z.string(), price_per_hour: z.string().regex(/^\d+(\.\d+)?$/) }),
        ),
      }),
      request.body,
      'prices',
    );
    for (const change of body.changes) {
      const offer = cloud.offersByName.get(change.name);
      if (!offer)
        throw new CloudError(404, 'instance-type/not-found', `no instance type ${change.name}`);
      offer.pricePerHour = change.price_per_hour;
    }
    return { changed: body.changes.length };
  });

  app.post('/admin/capacity', (request) => {
    const body = parse(
      z.object({ name: z.string().optional(), capacity: z.number().int().nonnegative() }),
      request.body,
      'capacity',
    );
    const targets =
      body.name === undefined ? cloud.offers : cloud.offers.filter((o) => o.name === body.name);
    if (targets.length === 0)
      throw new CloudError(404, 'instance-type/not-found', `no instance type ${body.name ?? ''}`);
    for (const offer of targets) offer.capacity = body.capacity;
    return { changed: targets.length };
  });

  app.post('/admin/quota', (request) => {
    const body = parse(
      z.object({ instances: z.number().int().nonnegative() }),
      request.body,
      'quota',
    );
    cloud.instanceQuota = body.instances;
    return { instances: cloud.instanceQuota };
  });
}
