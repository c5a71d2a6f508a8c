import { mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from '@commander-js/extra-typings';
import { FirewallRulesSchema, LIFECYCLE_STATES, type LifecycleState } from '@cloudplane/sdk';
import { z } from 'zod';
import { ApiClient, failingWith, flag, table, tokenOption, urlOption } from '../api-client.js';
import { SshEndpoint, findIdentity, knownHostsFile, runSsh, sshArgs } from '../ssh-command.js';
import { defaultDataDir } from '../state-dir.js';
import { listKeys, pickKey } from './keys.js';

/**
 * `cloudplane instances launch|list|get|stop|start|reboot|terminate|events|ssh`: the caller's GPU
 * instances in a running control plane (docs/instances.md). Instances are named by id or name;
 * `--wait` follows the instance (server-sent events, else polling) until the action is done.
 */

const LastError = z.object({ code: z.string(), message: z.string() });

export const Instance = z.looseObject({
  id: z.string(),
  name: z.string(),
  provider: z.string(),
  region: z.string(),
  type: z.string(),
  gpu: z.looseObject({
    name: z.string().nullable(),
    count: z.number(),
    memoryGiB: z.number().nullable(),
  }),
  price: z.looseObject({ perHour: z.string(), currency: z.string() }).nullable(),
  state: z.enum(LIFECYCLE_STATES),
  nativeStatus: z.string().nullable(),
  statusMessage: z.string().nullable(),
  pendingAction: z.string().nullable(),
  lastError: LastError.nullable(),
  publicIp: z.string().nullable(),
  ssh: z.looseObject({ user: z.string(), host: z.string(), port: z.number() }).nullable(),
  sshKeyIds: z.array(z.string()),
  tags: z.record(z.string(), z.string()),
  actions: z.array(z.string()),
  createdAt: z.string(),
  terminatedAt: z.string().nullable(),
});
export type Instance = z.infer<typeof Instance>;

const InstancePage = z.object({
  instances: z.array(Instance),
  nextCursor: z.string().nullish(),
});

export const InstanceEvent = z.looseObject({
  id: z.number().int(),
  instanceId: z.string(),
  kind: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  message: z.string(),
  at: z.string(),
});
export type InstanceEvent = z.infer<typeof InstanceEvent>;

// ---------------------------------------------------------------------------------------------
// Flag values

const DURATION = /^(\d+)(ms|s|m|h)?$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "10m", "90s", "1h", "500ms"; a bare number is seconds. */
export const Duration = z
  .string()
  .regex(DURATION, 'a duration like 90s, 10m or 1h')
  .transform((text) => {
    const [, amount = '0', unit = 's'] = DURATION.exec(text) ?? [];
    return Number(amount) * (UNIT_MS[unit] ?? 1000);
  })
  .refine((ms) => ms > 0, 'a duration above zero');

const TAG = /^([^=]+)=(.*)$/s;

/** `--tag k=v` flags into a tags object: keys unique, at most 20, none starting `cloudplane`. */
export const Tags = z
  .array(z.string().regex(TAG, 'a tag is key=value'))
  .max(20, 'at most 20 tags')
  .transform((pairs, ctx) => {
    const tags: Record<string, string> = {};
    for (const pair of pairs) {
      const [, key = '', value = ''] = TAG.exec(pair) ?? [];
      if (key.toLowerCase().startsWith('cloudplane')) {
        ctx.addIssue({ code: 'custom', message: `tag keys starting "cloudplane" are reserved` });
      } else if (Object.hasOwn(tags, key)) {
        ctx.addIssue({ code: 'custom', message: `tag "${key}" given twice` });
      } else {
        tags[key] = value;
      }
    }
    return tags;
  });

export const InstanceName = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,62}$/,
    'an instance name is 1-63 of a-z, 0-9 and "-", starting with a letter',
  );

export const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,128}$/, '1-128 printable ASCII characters, no spaces');

const USER_DATA_MAX_BYTES = 16 * 1024;

const UserData = z
  .string()
  .refine(
    (text) => Buffer.byteLength(text) <= USER_DATA_MAX_BYTES,
    `user data is at most ${USER_DATA_MAX_BYTES} bytes`,
  );

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(
      `${what}: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** The `FirewallRules` JSON of `--firewall-file`. */
export function firewallRules(text: string): z.infer<typeof FirewallRulesSchema> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('--firewall-file: not JSON (expected {"ingress": [...], "egress": [...]})');
  }
  const parsed = FirewallRulesSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `--firewall-file: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------
// Naming instances

/**
 * The instance `idOrName` names among `instances`: an exact id; else the one live (not
 * terminated) instance of that name; else the newest terminated one of that name.
 */
export function pickInstance(instances: readonly Instance[], idOrName: string): Instance {
  const byId = instances.find((i) => i.id === idOrName);
  if (byId) return byId;
  const named = instances.filter((i) => i.name === idOrName);
  const live = named.filter((i) => i.state !== 'terminated');
  if (live.length > 1) {
    throw new Error(
      `${live.length} live instances are named "${idOrName}" (${live.map((i) => i.id).join(', ')}); name one by id`,
    );
  }
  const newest = [...named].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const found = live[0] ?? newest[0];
  if (found === undefined) throw new Error(`no instance with id or name "${idOrName}"`);
  return found;
}

async function listInstances(
  client: ApiClient,
  query: { state?: LifecycleState } = {},
): Promise<Instance[]> {
  const all: Instance[] = [];
  let cursor: string | null | undefined;
  do {
    const params = new URLSearchParams({ limit: '500' });
    if (query.state !== undefined) params.set('state', query.state);
    if (cursor) params.set('cursor', cursor);
    const page = await client.request('GET', `/v1/instances?${params.toString()}`, InstancePage);
    all.push(...page.instances);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

async function resolveInstance(client: ApiClient, idOrName: string): Promise<Instance> {
  return pickInstance(await listInstances(client), idOrName);
}

function getInstance(client: ApiClient, id: string): Promise<Instance> {
  return client.request('GET', `/v1/instances/${encodeURIComponent(id)}`, Instance);
}

// ---------------------------------------------------------------------------------------------
// Server-sent events

export interface SseMessage {
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;
}

/** The SSE wire format (HTML Living Standard, 9.2.6), fed in chunks of text. */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | undefined;
  /** The last `id:` seen, for `Last-Event-ID` on reconnect. */
  lastEventId: string | undefined;

  push(text: string): SseMessage[] {
    this.buffer += text;
    const messages: SseMessage[] = [];
    for (;;) {
      const end = this.buffer.search(/\r\n|\r|\n/);
      if (end === -1) break;
      // A lone \r at the end may be the first half of \r\n: wait for more.
      if (this.buffer[end] === '\r' && end === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + (this.buffer.startsWith('\r\n', end) ? 2 : 1));
      const message = this.line(line);
      if (message) messages.push(message);
    }
    return messages;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') {
      const message =
        this.data.length === 0
          ? undefined
          : { event: this.event || 'message', data: this.data.join('\n'), id: this.id };
      this.event = '';
      this.data = [];
      return message;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) {
      this.id = value;
      this.lastEventId = value;
    }
    return undefined;
  }
}

function parseEvent(message: SseMessage): InstanceEvent | undefined {
  if (message.event !== 'instance' && message.event !== 'message') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(message.data);
  } catch {
    return undefined;
  }
  const parsed = InstanceEvent.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Reads `GET /v1/events` until `signal` aborts, calling `onEvent` for each instance event. Resolves
 * once connected with `done`, which settles when the stream ends (error: the reason). With
 * `reconnect`, a dropped stream is opened again from the last event id (five tries, a second
 * apart) before `done` fails.
 */
async function subscribe(
  client: ApiClient,
  options: {
    signal: AbortSignal;
    lastEventId?: string | undefined;
    reconnect: boolean;
    onEvent: (event: InstanceEvent) => void;
  },
): Promise<{ done: Promise<void> }> {
  const parser = new SseParser();
  parser.lastEventId = options.lastEventId;
  const open = () =>
    client.stream('/v1/events', {
      signal: options.signal,
      headers: parser.lastEventId === undefined ? {} : { 'last-event-id': parser.lastEventId },
    });
  const first = await open();
  const read = async (body: ReadableStream<Uint8Array>) => {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        for (const message of parser.push(decoder.decode(value, { stream: true }))) {
          const event = parseEvent(message);
          if (event) options.onEvent(event);
        }
      }
    } finally {
      reader.releaseLock();
    }
  };
  const stopped = () => options.signal.aborted;
  const done = (async () => {
    let body = first;
    let failures = 0;
    for (;;) {
      try {
        await read(body);
        failures = 0;
      } catch (err) {
        if (stopped()) return;
        if (!options.reconnect) throw err;
      }
      if (stopped()) return;
      if (!options.reconnect) throw new Error('the event stream ended');
      for (;;) {
        await sleep(1000, options.signal);
        if (stopped()) return;
        try {
          body = await open();
          break;
        } catch (err) {
          if (stopped()) return;
          failures += 1;
          if (failures >= 5) throw err;
        }
      }
    }
  })();
  return { done };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      resolve();
    }
    signal?.addEventListener('abort', finish, { once: true });
  });
}

// ---------------------------------------------------------------------------------------------
// Waiting

export function describeLastError(error: Instance['lastError']): string | null {
  return error === null ? null : `${error.code}: ${error.message}`;
}

export type Progress =
  | { readonly kind: 'done' }
  | { readonly kind: 'waiting' }
  | { readonly kind: 'failed'; readonly reason: string };

/** States an instance passes through on its way somewhere else. */
const MOVING: readonly LifecycleState[] = ['pending', 'stopping', 'suspending', 'terminating'];

/**
 * Where `instance` stands on its way to `target` after an action (or a launch) was accepted: done
 * once it is there with no action pending; waiting while an action is pending or it is moving
 * (a reboot's action ends when the provider accepts it, before the instance goes through
 * `pending`); failed when it is `failed`, or settled elsewhere with nothing pending, which is how a
 * refused action shows. A terminate of a `failed` instance with nothing pending is done: there is
 * nothing to end.
 */
export function progress(instance: Instance, target: LifecycleState): Progress {
  const { state, pendingAction } = instance;
  if (state === target && (pendingAction === null || target === 'terminated')) {
    return { kind: 'done' };
  }
  if (target === 'terminated' && state === 'failed' && pendingAction === null) {
    return { kind: 'done' };
  }
  const over = state === 'failed' || state === 'terminated';
  if (!over && (pendingAction !== null || MOVING.includes(state))) return { kind: 'waiting' };
  const error = describeLastError(instance.lastError);
  const verb = state === 'failed' ? 'failed' : `is ${state}`;
  return {
    kind: 'failed',
    reason: `${instance.name} ${verb}, not ${target}${error === null ? '' : `: ${error}`}`,
  };
}

/**
 * Follows instance `start` until it reaches `target` (see `progress`), printing its state changes
 * on stderr. Woken by the SSE stream when it can be opened (with a check every 5 s besides),
 * else polls every second. Throws with the instance's last error when it fails or time runs out.
 */
async function waitFor(
  client: ApiClient,
  start: Instance,
  target: LifecycleState,
  timeoutMs: number,
): Promise<Instance> {
  const deadline = Date.now() + timeoutMs;
  const controller = new AbortController();
  const bell = new Bell();
  let streaming = false;
  try {
    try {
      const { done } = await subscribe(client, {
        signal: controller.signal,
        reconnect: false,
        onEvent: (event) => {
          if (event.instanceId === start.id) bell.ring();
        },
      });
      streaming = true;
      void done
        .catch(() => undefined)
        .finally(() => {
          streaming = false;
          bell.ring();
        });
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      // No event stream (older server, proxy): poll instead.
    }
    let shown: LifecycleState = start.state;
    process.stderr.write(`${start.name}: ${shown}\n`);
    for (;;) {
      bell.reset();
      const instance = await getInstance(client, start.id);
      if (instance.state !== shown) {
        const message = instance.statusMessage === null ? '' : ` (${instance.statusMessage})`;
        process.stderr.write(`${instance.name}: ${shown} -> ${instance.state}${message}\n`);
        shown = instance.state;
      }
      const now = progress(instance, target);
      if (now.kind === 'done') return instance;
      if (now.kind === 'failed') throw new Error(now.reason);
      const left = deadline - Date.now();
      if (left <= 0) {
        const error = describeLastError(instance.lastError);
        throw new Error(
          `timed out after ${formatMs(timeoutMs)} waiting for ${instance.name} to be ${target}; it is ${instance.state}${instance.pendingAction === null ? '' : ` (${instance.pendingAction} pending)`}${error === null ? '' : `; last error: ${error}`}`,
        );
      }
      await bell.wait(Math.min(left, streaming ? 5000 : 1000));
    }
  } finally {
    controller.abort();
  }
}

/** Wakes a waiter early; a ring before the wait counts. */
class Bell {
  private rung = false;
  private wake: (() => void) | undefined;

  ring(): void {
    this.rung = true;
    this.wake?.();
  }

  reset(): void {
    this.rung = false;
  }

  wait(ms: number): Promise<void> {
    if (this.rung) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      this.wake = undefined;
    });
  }
}

function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

// ---------------------------------------------------------------------------------------------
// Printing

function gpuText(instance: Instance): string {
  const { name, count, memoryGiB } = instance.gpu;
  if (count === 0) return '-';
  return `${count}x ${name ?? '?'}${memoryGiB === null ? '' : ` ${memoryGiB}G`}`;
}

function priceText(instance: Instance): string {
  const { price } = instance;
  return price === null ? '-' : `${price.perHour} ${price.currency}/h`;
}

function sshText(instance: Instance): string {
  const { ssh } = instance;
  return ssh === null ? '-' : `${ssh.user}@${ssh.host}:${ssh.port}`;
}

function details(instance: Instance): string {
  const rows: [string, string][] = [
    ['id', instance.id],
    ['name', instance.name],
    ['state', instance.state],
    ['native status', instance.nativeStatus ?? '-'],
    ['status message', instance.statusMessage ?? '-'],
    ['pending action', instance.pendingAction ?? '-'],
    ['last error', describeLastError(instance.lastError) ?? '-'],
    ['provider', instance.provider],
    ['region', instance.region],
    ['type', instance.type],
    ['gpu', gpuText(instance)],
    ['price', priceText(instance)],
    ['public ip', instance.publicIp ?? '-'],
    ['ssh', sshText(instance)],
    ['ssh keys', instance.sshKeyIds.join(', ') || '-'],
    [
      'tags',
      Object.entries(instance.tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ') || '-',
    ],
    ['actions', instance.actions.join(', ') || '-'],
    ['created', instance.createdAt],
    ['terminated', instance.terminatedAt ?? '-'],
  ];
  const width = Math.max(...rows.map(([key]) => key.length));
  return rows.map(([key, value]) => `${`${key}:`.padEnd(width + 2)}${value}\n`).join('');
}

export function eventLine(event: InstanceEvent): string {
  const change =
    event.from === null && event.to === null ? '' : `${event.from ?? '-'} -> ${event.to ?? '-'}  `;
  return `${event.at}  ${event.kind.padEnd(13)}  ${change}${event.message}\n`;
}

// ---------------------------------------------------------------------------------------------
// Commands

const ACTIONS = {
  stop: { target: 'stopped', description: 'stop an instance (it keeps its disk)' },
  start: { target: 'running', description: 'start a stopped instance' },
  reboot: { target: 'running', description: 'reboot an instance' },
  terminate: {
    target: 'terminated',
    description: 'terminate an instance (for good; idempotent)',
  },
} as const satisfies Record<string, { target: LifecycleState; description: string }>;

const timeoutOption = () =>
  new Option('--timeout <duration>', 'how long --wait waits (90s, 10m, 1h)').default('10m');

export function instancesCommand(): Command {
  const command = new Command('instances').description('your GPU instances');
  const guard = failingWith(command, 'instances');

  command
    .command('launch')
    .description('launch an instance from an offer (`GET /v1/offers`)')
    .requiredOption('--offer <offerId>', 'the offer id, <credentialId>:<typeId>')
    .requiredOption('--name <name>', 'a-z, 0-9, "-", unique among your live instances')
    .requiredOption('--key <name-or-id>', 'your SSH key to install (`cloudplane keys list`)')
    .option('--user-data-file <file>', 'a boot script, at most 16 KiB')
    .option('--firewall-file <file>', 'FirewallRules JSON: {"ingress": [...], "egress": [...]}')
    .option('--tag <key=value...>', 'a tag (repeatable, at most 20)')
    .option('--idempotency-key <key>', 'the same key and body never launch twice')
    .option('--wait', 'wait until it runs (or fails)')
    .addOption(timeoutOption())
    .addOption(urlOption())
    .addOption(tokenOption())
    .option('--json', 'print the instance as JSON')
    .action((options) =>
      guard(async () => {
        const timeoutMs = flag('--timeout', Duration, options.timeout);
        const client = new ApiClient(options);
        const key = pickKey(await listKeys(client), options.key);
        const userData =
          options.userDataFile === undefined
            ? undefined
            : flag(
                '--user-data-file',
                UserData,
                await readText(options.userDataFile, '--user-data-file'),
              );
        const rules =
          options.firewallFile === undefined
            ? undefined
            : firewallRules(await readText(options.firewallFile, '--firewall-file'));
        const tags = options.tag === undefined ? undefined : flag('--tag', Tags, options.tag);
        const idempotencyKey =
          options.idempotencyKey === undefined
            ? undefined
            : flag('--idempotency-key', IdempotencyKey, options.idempotencyKey);
        const body = {
          offerId: flag('--offer', z.string().min(1), options.offer),
          name: flag('--name', InstanceName, options.name),
          sshKeyIds: [key.id],
          ...(userData === undefined ? {} : { userData }),
          ...(rules === undefined ? {} : { firewallRules: rules }),
          ...(tags === undefined ? {} : { tags }),
        };
        let instance = await client.request(
          'POST',
          '/v1/instances',
          Instance,
          body,
          idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey },
        );
        if (options.json !== true) {
          process.stdout.write(
            `launching ${instance.name} (${instance.id}): ${instance.provider} ${instance.region} ${instance.type}, ${priceText(instance)}\n`,
          );
        }
        if (options.wait === true) {
          instance = await waitFor(client, instance, 'running', timeoutMs);
          if (options.json !== true) {
            process.stdout.write(`${instance.name} is running; ssh: ${sshText(instance)}\n`);
          }
        }
        if (options.json === true) process.stdout.write(`${JSON.stringify(instance)}\n`);
      }),
    );

  command
    .command('list')
    .description("your instances (admins: everyone's), newest first; terminated ones with --all")
    .addOption(new Option('--state <state>', 'only this state').choices(LIFECYCLE_STATES))
    .option('--all', 'include terminated instances')
    .addOption(urlOption())
    .addOption(tokenOption())
    .option('--json', 'print JSON')
    .action((options) =>
      guard(async () => {
        const state =
          options.state === undefined
            ? undefined
            : flag('--state', z.enum(LIFECYCLE_STATES), options.state);
        const listed = await listInstances(
          new ApiClient(options),
          state === undefined ? {} : { state },
        );
        const shown =
          options.all === true || state !== undefined
            ? listed
            : listed.filter((i) => i.state !== 'terminated');
        process.stdout.write(
          options.json === true
            ? `${JSON.stringify(shown)}\n`
            : table(
                ['ID', 'NAME', 'STATE', 'PROVIDER', 'REGION', 'TYPE', 'GPU', 'PRICE/H', 'SSH'],
                shown.map((i) => [
                  i.id,
                  i.name,
                  i.pendingAction === null ? i.state : `${i.state} (${i.pendingAction})`,
                  i.provider,
                  i.region,
                  i.type,
                  gpuText(i),
                  priceText(i),
                  sshText(i),
                ]),
              ),
        );
      }),
    );

  command
    .command('get')
    .description('one instance')
    .argument('<id-or-name>')
    .addOption(urlOption())
    .addOption(tokenOption())
    .option('--json', 'print JSON')
    .action((idOrName, options) =>
      guard(async () => {
        const client = new ApiClient(options);
        const instance = await getInstance(client, (await resolveInstance(client, idOrName)).id);
        process.stdout.write(
          options.json === true ? `${JSON.stringify(instance)}\n` : details(instance),
        );
      }),
    );

  for (const [verb, { target, description }] of Object.entries(ACTIONS)) {
    command
      .command(verb)
      .description(description)
      .argument('<id-or-name>')
      .option('--wait', `wait until it is ${target} (or fails)`)
      .addOption(timeoutOption())
      .addOption(urlOption())
      .addOption(tokenOption())
      .option('--json', 'print the instance as JSON')
      .action((idOrName, options) =>
        guard(async () => {
          const timeoutMs = flag('--timeout', Duration, options.timeout);
          const client = new ApiClient(options);
          const found = await resolveInstance(client, idOrName);
          let instance = await client.request(
            'POST',
            `/v1/instances/${encodeURIComponent(found.id)}/${verb}`,
            Instance,
          );
          if (options.json !== true) {
            process.stdout.write(`${verb} requested for ${instance.name} (${instance.id})\n`);
          }
          if (options.wait === true) {
            instance = await waitFor(client, instance, target, timeoutMs);
            if (options.json !== true) process.stdout.write(`${instance.name} is ${target}\n`);
          }
          if (options.json === true) process.stdout.write(`${JSON.stringify(instance)}\n`);
        }),
      );
  }

  command
    .command('events')
    .description(
      "an instance's events, oldest first; --follow keeps printing new ones until it is terminated",
    )
    .argument('<id-or-name>')
    .option('--follow', 'keep following (the server-sent event stream)')
    .addOption(urlOption())
    .addOption(tokenOption())
    .option('--json', 'print one JSON event per line')
    .action((idOrName, options) =>
      guard(async () => {
        const client = new ApiClient(options);
        const instance = await resolveInstance(client, idOrName);
        const print = (event: InstanceEvent) => {
          process.stdout.write(
            options.json === true ? `${JSON.stringify(event)}\n` : eventLine(event),
          );
        };
        const history = await eventHistory(client, instance.id);
        history.forEach(print);
        const last = history.at(-1);
        if (options.follow !== true) return;
        if (instance.state === 'terminated' || (last !== undefined && ends(last))) return;
        let shown = last?.id ?? 0;
        const controller = new AbortController();
        const { done } = await subscribe(client, {
          signal: controller.signal,
          lastEventId: last === undefined ? undefined : String(last.id),
          reconnect: true,
          onEvent: (event) => {
            if (event.instanceId !== instance.id || event.id <= shown) return;
            shown = event.id;
            print(event);
            if (ends(event)) controller.abort();
          },
        });
        await done;
      }),
    );

  command
    .command('ssh')
    .description(
      'ssh into a running instance; the host key is pinned on first contact (`<state dir>/known_hosts`)',
    )
    .argument('<id-or-name>')
    .argument('[ssh-args...]', 'after --: more ssh options and/or a remote command')
    .option(
      '-i, --identity <file>',
      'the private key (default: the one in ~/.ssh whose .pub the instance was launched with)',
    )
    .addOption(urlOption())
    .addOption(tokenOption())
    .action((idOrName, extra, options) =>
      guard(async () => {
        const client = new ApiClient(options);
        const instance = await getInstance(client, (await resolveInstance(client, idOrName)).id);
        if (instance.ssh === null) {
          throw new Error(
            `${instance.name} has no SSH address yet (it is ${instance.state}${instance.pendingAction === null ? '' : `, ${instance.pendingAction} pending`}); it gets one once running`,
          );
        }
        const endpoint = flag(`${instance.name}'s ssh address`, SshEndpoint, instance.ssh);
        const identity =
          options.identity === undefined
            ? await defaultIdentity(client, instance)
            : flag('--identity', z.string().min(1), options.identity);
        const stateDir = defaultDataDir();
        await mkdir(stateDir, { recursive: true, mode: 0o700 });
        const args = sshArgs({
          endpoint,
          identity,
          knownHosts: knownHostsFile(stateDir),
          extra: flag('ssh arguments', z.array(z.string()), extra),
        });
        process.exitCode = await runSsh(args);
      }),
    );
  return command;
}

/** The event after which an instance has nothing more to say. */
function ends(event: InstanceEvent): boolean {
  return event.kind === 'terminated' || event.to === 'terminated';
}

/** Every event of one instance, oldest first, page by page (`?after=<id>`). */
async function eventHistory(client: ApiClient, id: string): Promise<InstanceEvent[]> {
  const events: InstanceEvent[] = [];
  let after = 0;
  for (;;) {
    const page = await client.request(
      'GET',
      `/v1/instances/${encodeURIComponent(id)}/events?limit=1000&after=${String(after)}`,
      z.object({ events: z.array(InstanceEvent) }),
    );
    const fresh = page.events.filter((e) => e.id > after);
    const last = fresh.at(-1);
    if (last === undefined) return events;
    events.push(...fresh);
    after = last.id;
  }
}

/** The private key in ~/.ssh whose public half the instance was launched with. */
async function defaultIdentity(client: ApiClient, instance: Instance): Promise<string> {
  const keys = (await listKeys(client)).filter((k) => instance.sshKeyIds.includes(k.id));
  const sshDir = join(homedir(), '.ssh');
  const found = await findIdentity(sshDir, new Set(keys.map((k) => k.fingerprint)));
  if (found !== null) return found;
  const which =
    keys.length === 0
      ? 'its key is not among your SSH keys'
      : `none of the private keys in ${sshDir} matches ${keys.map((k) => `${k.name} (${k.fingerprint})`).join(', ')}`;
  throw new Error(
    `${instance.name} was launched with a key you must name: ${which}; pass --identity FILE`,
  );
}
