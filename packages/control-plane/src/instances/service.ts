import { createHash, randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import {
  FirewallRulesSchema,
  LIFECYCLE_STATES,
  TagsSchema,
  type Capability,
  type FirewallRules,
} from '@cloudplane/sdk';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../api/cursor.js';
import type { Db } from '../db/open.js';
import { instances, offers, type InstanceAction, type LaunchRequirement } from '../db/schema.js';
import { ControlPlaneError, violatedForeignKey, violatedUniqueConstraint } from '../errors.js';
import type { ProviderRegistry } from '../providers.js';
import type { SshKeyStore } from '../users/ssh-keys.js';
import type { Principal } from '../users/users.js';
import { markFor, offerIsMarked, type CapacityMemory } from './capacity.js';
import type { EventBell } from './events.js';
import { asksFirewall, pickOffer, withinCapabilities } from './picker.js';
import type { InstanceJobs } from './jobs.js';
import type { InstanceRow } from './observe.js';
import type { InstanceRows } from './rows.js';

/**
 * What users ask of instances: launch (a journaled intent plus a create job), the lifecycle
 * actions (each a job), and reads. Every request is checked before anything is stored: a refused
 * launch leaves no row and no cloud instance. Members reach only their own instances; another
 * user's answers 404 as if it did not exist.
 */

export const MAX_USER_DATA_BYTES = 16 * 1024;

/** Text PostgreSQL can store: no NUL character. */
const noNul = z
  .string()
  .refine((v) => !v.includes('\0'), 'must not contain a NUL character (\\u0000)');

/**
 * What a list cursor must hold to reach the database: a time PostgreSQL can read (year 1 or
 * later) and an id without NUL. Anything else is refused at the schema, not by the database.
 */
const YEAR_ONE = Date.parse('0001-01-01T00:00:00Z');
const IssuedCursor = z.object({
  at: z.iso.datetime().refine((at) => Date.parse(at) >= YEAR_ONE, 'year 1 or later'),
  id: noNul,
});

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const RequirementSchema = z.object({
  gpu: noNul.min(1).max(64).describe('GPU model, loosely written: H100, "rtx 4090"'),
  count: z.number().int().min(1).max(64).optional().describe('exact GPU count'),
  minGpuMemoryGiB: z.number().int().min(1).max(100_000).optional(),
  maxPricePerHour: z
    .string()
    .regex(/^\d{1,8}(\.\d{1,6})?$/, 'a decimal such as 2.5')
    .optional(),
  regions: z.array(noNul.min(1).max(200)).min(1).max(50).optional(),
  providers: z.array(noNul.min(1).max(64)).min(1).max(20).optional(),
});

export const LaunchRequestSchema = z
  .object({
    offerId: noNul
      .min(3)
      .max(600)
      .optional()
      .describe('the `id` of an offer in GET /v1/offers; or give `requirement`'),
    requirement: RequirementSchema.optional().describe(
      'instead of offerId: the cheapest available offer that meets it, failing over to the next on capacity or quota errors',
    ),
    name: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{0,62}$/,
        'name: 1-63 lowercase letters, digits or "-", starting with a letter',
      ),
    sshKeyIds: z
      .array(noNul.min(1).max(200))
      .min(1, 'give the id of one of your SSH keys (GET /v1/users/me/ssh-keys)')
      .max(1, 'one SSH key per launch for now (docs/instances.md, Limits)'),
    userData: noNul.optional(),
    firewallRules: FirewallRulesSchema.optional(),
    tags: TagsSchema.refine((t) => Object.keys(t).length <= 20, 'at most 20 tags')
      .refine(
        (t) => Object.keys(t).every((k) => !k.toLowerCase().startsWith('cloudplane')),
        'tag keys starting with "cloudplane" are reserved',
      )
      .optional(),
  })
  .refine(
    (r) => (r.offerId === undefined) !== (r.requirement === undefined),
    'give exactly one of offerId and requirement',
  );
export type LaunchRequest = z.infer<typeof LaunchRequestSchema>;

export const IdempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,128}$/, 'Idempotency-Key: 1-128 printable ASCII characters');

export const InstanceListQuerySchema = z.object({
  state: z.enum(LIFECYCLE_STATES).optional(),
  user: noNul.min(1).max(200).optional().describe('admins: only this user id'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z
    .string()
    .max(2048)
    .refine(
      (v) => IssuedCursor.safeParse(jsonOf(Buffer.from(v, 'base64url').toString())).success,
      'cursor is not one this API issued; start again without it',
    )
    .optional()
    .describe('nextCursor of the previous page'),
});
export type InstanceListQuery = z.infer<typeof InstanceListQuerySchema>;

const CursorSchema = z.object({ at: z.iso.datetime(), id: z.string() });

/** The capability each action needs; terminate needs none. */
const NEEDS: Readonly<Record<Exclude<InstanceAction, 'create' | 'terminate'>, Capability>> = {
  stop: 'stopStart',
  start: 'stopStart',
  reboot: 'reboot',
};

export interface InstanceServiceOptions {
  readonly db: Db;
  readonly rows: InstanceRows;
  readonly keys: SshKeyStore;
  readonly providers: ProviderRegistry;
  readonly jobs: InstanceJobs;
  readonly bell: EventBell;
  readonly capacity: CapacityMemory;
}

export class InstanceService {
  constructor(private readonly options: InstanceServiceOptions) {}

  /** Launch; `created` is false when an Idempotency-Key replayed an earlier launch. */
  async launch(
    by: Principal,
    request: LaunchRequest,
    idempotencyKey?: string,
  ): Promise<{ row: InstanceRow; created: boolean }> {
    const requestHash = hashOf(request);
    if (idempotencyKey !== undefined) {
      const earlier = await this.replay(by, idempotencyKey, requestHash);
      if (earlier) return { row: earlier, created: false };
    }
    if (
      request.userData !== undefined &&
      Buffer.byteLength(request.userData) > MAX_USER_DATA_BYTES
    ) {
      throw new ControlPlaneError(
        413,
        'instance/user-data-too-large',
        `userData is ${String(Buffer.byteLength(request.userData))} bytes; the limit is ${String(MAX_USER_DATA_BYTES)}: fetch a larger script from your own storage instead`,
      );
    }
    // The offer and the key are read side by side (two connections on PostgreSQL); the
    // offer's refusal still comes first when both are refused.
    const [offerRead, keysRead] = await Promise.allSettled([
      request.requirement === undefined
        ? this.offer(request.offerId ?? '')
        : this.cheapest(request.requirement, request.firewallRules),
      this.options.keys.owned(by.userId, request.sshKeyIds),
    ]);
    if (offerRead.status === 'rejected') throw offerRead.reason;
    const offer = offerRead.value;
    const provider = this.options.providers.get(offer.provider);
    if (!provider) {
      throw new ControlPlaneError(
        409,
        'offer/unavailable',
        `the provider ${offer.provider} of this offer is not loaded on this control plane`,
      );
    }
    if (asksFirewall(request.firewallRules) && provider.firewallAtCreate === 'unsupported') {
      throw new ControlPlaneError(
        409,
        'capability/firewall',
        `${provider.id} cannot apply firewall rules; launch without firewallRules or pick another provider's offer`,
      );
    }
    if (keysRead.status === 'rejected') throw keysRead.reason;
    const [key] = keysRead.value;
    if (!key) throw new Error('owned() returns one key per id');
    const now = new Date();
    const row: typeof instances.$inferInsert = {
      id: randomUUID(),
      refId: randomUUID(),
      userId: by.userId,
      credentialId: offer.credentialId,
      provider: offer.provider,
      name: request.name,
      typeId: offer.typeId,
      location: offer.record.location,
      subLocation: offer.record.subLocation ?? null,
      instanceType: offer.record.type,
      gpuName: offer.gpuName,
      gpuCount: offer.gpuCount,
      gpuMemoryGiB: offer.gpuMemoryGiB,
      price: offer.price,
      currency: offer.currency,
      sshKeyIds: request.sshKeyIds,
      requirement: request.requirement ?? null,
      tags: request.tags ?? {},
      intent: {
        publicKey: key.publicKey,
        ...(request.userData === undefined ? {} : { userData: request.userData }),
        ...(request.firewallRules ? { firewallRules: request.firewallRules } : {}),
        ...(request.tags ? { tags: request.tags } : {}),
      },
      idempotencyKey: idempotencyKey ?? null,
      requestHash,
      state: 'pending',
      pendingAction: 'create',
      actionRequestedAt: now,
      createdAt: now,
      updatedAt: now,
    };
    let stored: InstanceRow;
    try {
      stored = await this.options.jobs.launch(
        row,
        {
          kind: 'requested',
          to: 'pending',
          message: `launch of ${offer.record.type} in ${offer.record.location} requested`,
        },
        provider.maxCreatesPerMinute,
      );
    } catch (err) {
      const constraint = violatedUniqueConstraint(err);
      if (constraint === 'instances_live_name_key') {
        throw new ControlPlaneError(
          409,
          'instance/name-taken',
          `you already have an instance named "${request.name}"; choose another name or terminate that one`,
        );
      }
      if (constraint === 'instances_idempotency_key' && idempotencyKey !== undefined) {
        const earlier = await this.replay(by, idempotencyKey, requestHash);
        if (earlier) return { row: earlier, created: false };
      }
      if (violatedForeignKey(err) === 'instances_credential_id_credentials_id_fk') {
        throw new ControlPlaneError(
          409,
          'offer/unavailable',
          'the provider credential behind this offer was removed meanwhile; pick another offer',
        );
      }
      throw err;
    }
    this.options.bell.ring();
    return { row: stored, created: true };
  }

  private async cheapest(requirement: LaunchRequirement, rules: FirewallRules | undefined) {
    const within = withinCapabilities(requirement, this.options.providers, rules);
    const offer = within && (await pickOffer(this.options.db, within, []));
    if (!offer) {
      const among = asksFirewall(rules) ? ' among providers that apply firewall rules' : '';
      throw new ControlPlaneError(
        409,
        'offer/none-matches',
        `no available offer meets the requirement (${requirement.gpu})${among}; widen it (more regions, providers, a higher maxPricePerHour) or try later`,
      );
    }
    return offer;
  }

  private async replay(
    by: Principal,
    key: string,
    requestHash: string,
  ): Promise<InstanceRow | null> {
    const [earlier] = await this.options.db
      .select()
      .from(instances)
      .where(and(eq(instances.userId, by.userId), eq(instances.idempotencyKey, key)));
    if (!earlier) return null;
    if (earlier.requestHash !== requestHash) {
      throw new ControlPlaneError(
        409,
        'idempotency/mismatch',
        'this Idempotency-Key was used with another request body; use a new key for a new launch',
      );
    }
    return earlier;
  }

  private async offer(offerId: string) {
    const split = offerId.indexOf(':');
    const credentialId = split > 0 ? offerId.slice(0, split) : '';
    const typeId = split > 0 ? offerId.slice(split + 1) : '';
    // Whether a capacity mark covers the offer comes with the offer, so the common launch
    // (no mark) reads once; the marks themselves are read only to explain a refusal.
    const [found] =
      credentialId === '' || typeId === ''
        ? []
        : await this.options.db
            .select({ offer: offers, marked: offerIsMarked().mapWith(Boolean) })
            .from(offers)
            .where(and(eq(offers.credentialId, credentialId), eq(offers.typeId, typeId)));
    const offer = found?.offer;
    if (!offer) {
      throw new ControlPlaneError(
        404,
        'offer/not-found',
        `no offer with id "${offerId}"; take one from GET /v1/offers`,
      );
    }
    const mark = found.marked
      ? markFor(await this.options.capacity.active([offer.credentialId]), offer)
      : null;
    if (mark) {
      throw new ControlPlaneError(
        409,
        'offer/unavailable',
        `${offer.type} in ${offer.location} refused a launch for capacity (${mark.reason}); it is unavailable until ${mark.until.toISOString()}: pick another offer or launch by requirement`,
      );
    }
    if (offer.goneAt !== null || !offer.available) {
      throw new ControlPlaneError(
        409,
        'offer/unavailable',
        `${offer.type} in ${offer.location} is ${offer.goneAt ? 'no longer offered' : 'not available now'}; pick another offer (GET /v1/offers?available=true)`,
      );
    }
    return offer;
  }

  /** One instance the caller may see; anyone else's is a 404. */
  async get(by: Principal, id: string): Promise<InstanceRow> {
    const row = await this.options.rows.get(id);
    if (!row || !mayAccess(by, row)) {
      throw new ControlPlaneError(404, 'instance/not-found', `no instance with id ${id}`);
    }
    return row;
  }

  async list(
    by: Principal,
    query: InstanceListQuery,
  ): Promise<{ rows: InstanceRow[]; nextCursor: string | null }> {
    const conditions: SQL[] = [];
    if (by.role !== 'admin') conditions.push(eq(instances.userId, by.userId));
    else if (query.user !== undefined) conditions.push(eq(instances.userId, query.user));
    if (query.state !== undefined) conditions.push(eq(instances.state, query.state));
    if (query.cursor !== undefined) {
      const cursor = decodeCursor(CursorSchema, query.cursor);
      const at = new Date(cursor.at);
      const older = or(
        lt(instances.createdAt, at),
        and(eq(instances.createdAt, at), lt(instances.id, cursor.id)),
      );
      if (older) conditions.push(older);
    }
    const rows = await this.options.db
      .select()
      .from(instances)
      .where(and(...conditions))
      .orderBy(desc(instances.createdAt), desc(instances.id))
      .limit(query.limit + 1);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      rows: page,
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({ at: last.createdAt.toISOString(), id: last.id })
          : null,
    };
  }

  /** Requests stop, start, reboot or terminate; the job does it, the syncer reports it. */
  async act(
    by: Principal,
    id: string,
    action: Exclude<InstanceAction, 'create'>,
  ): Promise<InstanceRow> {
    const visible = await this.get(by, id);
    const provider = this.options.providers.get(visible.provider);
    if (action !== 'terminate') {
      const capability = NEEDS[action];
      if (!provider?.capabilities().includes(capability)) {
        throw new ControlPlaneError(
          409,
          `capability/${capability}`,
          `${visible.provider} does not support ${action} (capability ${capability}); terminate it instead`,
        );
      }
    }
    const queued = await this.options.rows.locked(visible.id, (row) => {
      if (action === 'terminate') {
        if (row.state === 'terminated' || row.pendingAction === 'terminate') {
          return Promise.resolve({ result: false });
        }
        if (row.state === 'failed' && row.cloudId === null) {
          return Promise.resolve({ result: false });
        }
      } else {
        const refusal = refuse(row, action);
        if (refusal) throw refusal;
      }
      return Promise.resolve({
        result: true,
        // A new request: its own outcome is what the row shows next.
        set: {
          pendingAction: action,
          actionRequestedAt: new Date(),
          actionSentAt: null,
          lastErrorCode: null,
          lastError: null,
        },
        events: [{ kind: 'requested' as const, message: `${action} requested by ${by.name}` }],
      });
    });
    if (queued) await this.options.jobs.queueAction(visible.id, action);
    return this.options.rows.require(visible.id);
  }

  /** The caller's instances that are not terminated, by id. */
  async visibleIds(by: Principal, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.options.db
      .select({ id: instances.id, userId: instances.userId })
      .from(instances)
      .where(inArray(instances.id, [...ids]));
    return new Set(
      rows.filter((r) => by.role === 'admin' || r.userId === by.userId).map((r) => r.id),
    );
  }
}

export const USER_ACTIONS = ['stop', 'start', 'reboot', 'terminate'] as const;
export type UserAction = (typeof USER_ACTIONS)[number];

/** Actions the instance allows now (given the provider's capabilities). */
export function allowedActions(
  row: InstanceRow,
  capabilities: readonly Capability[],
): UserAction[] {
  const allowed: UserAction[] = [];
  for (const action of ['stop', 'start', 'reboot'] as const) {
    if (capabilities.includes(NEEDS[action]) && refuse(row, action) === null) allowed.push(action);
  }
  if (row.state !== 'terminated' && !(row.state === 'failed' && row.cloudId === null)) {
    allowed.push('terminate');
  }
  return allowed;
}

function refuse(row: InstanceRow, action: 'stop' | 'start' | 'reboot'): ControlPlaneError | null {
  const needs: Record<typeof action, { state: string; flag: boolean }> = {
    stop: { state: 'running', flag: row.stoppable },
    start: { state: 'stopped', flag: row.stoppable },
    reboot: { state: 'running', flag: row.rebootable },
  };
  const rule = needs[action];
  if (row.pendingAction !== null) {
    return new ControlPlaneError(
      409,
      'instance/busy',
      `a ${row.pendingAction} is in progress; wait for it (GET /v1/instances/${row.id}/events)`,
    );
  }
  if (row.state !== rule.state || row.cloudId === null) {
    return new ControlPlaneError(
      409,
      'instance/invalid-state',
      `${action} needs a ${rule.state} instance; this one is ${row.state}`,
    );
  }
  if (!rule.flag) {
    return new ControlPlaneError(
      409,
      'instance/invalid-state',
      `the provider says this instance cannot ${action}`,
    );
  }
  return null;
}

export function mayAccess(by: Principal, row: { userId: string }): boolean {
  return by.role === 'admin' || row.userId === by.userId;
}

function hashOf(request: LaunchRequest): string {
  return createHash('sha256').update(canonical(request)).digest('hex');
}

/** JSON with sorted keys, so the same body in another key order hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
