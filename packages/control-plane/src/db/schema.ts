import {
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import {
  LIFECYCLE_STATES,
  type FirewallRules,
  type Instance,
  type InstanceType,
} from '@cloudplane/sdk';

/**
 * The control plane's tables. SQL migrations are generated from this file
 * (`npm run generate -w @cloudplane/control-plane`) into ../../drizzle and applied at start.
 */

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => Buffer.from(value),
});

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const SYNC_STATES = ['pending', 'ok', 'degraded'] as const;
export type SyncState = (typeof SYNC_STATES)[number];

/** Provider credentials. `sealed` is the vault's AES-256-GCM blob; nothing else is secret. */
export const credentials = pgTable(
  'credentials',
  {
    id: text('id').primaryKey(),
    provider: text('provider').notNull(),
    name: text('name').notNull(),
    sealed: bytea('sealed').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    syncState: text('sync_state', { enum: SYNC_STATES }).notNull().default('pending'),
    syncReason: text('sync_reason'),
    lastSyncAt: at('last_sync_at'),
    lastGoodSyncAt: at('last_good_sync_at'),
    /** Why the instance syncer's latest list failed; null while lists succeed. */
    instancesSyncError: text('instances_sync_error'),
    /** Orphans are reported (null) or terminated once seen for this long. */
    orphanTerminateAfterMs: integer('orphan_terminate_after_ms'),
  },
  (t) => [uniqueIndex('credentials_name_key').on(t.name)],
);

/**
 * An offer's price per GPU and hour (the full price when it has no GPU), rounded to the six
 * decimals prices have, so that it is a plain numeric a keyset cursor can carry exactly.
 */
export const PRICE_PER_GPU_SQL =
  '(CASE WHEN "gpu_count" > 0 THEN round("price" / "gpu_count", 6) ELSE "price" END)';

/**
 * The catalog: one row per (credential, instance type). A type the provider stops listing keeps
 * its row with `goneAt` set and `available` false, so offers never vanish from under a user.
 */
export const offers = pgTable(
  'offers',
  {
    credentialId: text('credential_id')
      .notNull()
      .references(() => credentials.id, { onDelete: 'cascade' }),
    typeId: text('type_id').notNull(),
    provider: text('provider').notNull(),
    cloud: text('cloud').notNull(),
    location: text('location').notNull(),
    type: text('type').notNull(),
    gpuName: text('gpu_name'),
    gpuCount: integer('gpu_count').notNull(),
    gpuMemoryGiB: integer('gpu_memory_gib'),
    gpuFormFactor: text('gpu_form_factor'),
    vcpu: integer('vcpu').notNull(),
    memoryGiB: numeric('memory_gib', { precision: 12, scale: 3, mode: 'number' }).notNull(),
    price: numeric('price', { precision: 14, scale: 6 }).notNull(),
    currency: text('currency').notNull(),
    available: boolean('available').notNull(),
    /** The full InstanceType as the provider reported it last. */
    record: jsonb('record').$type<InstanceType>().notNull(),
    /** Hash of `record`: a re-sync compares this, not every column. */
    fingerprint: text('fingerprint').notNull(),
    firstSeenAt: at('first_seen_at').notNull(),
    updatedAt: at('updated_at').notNull(),
    goneAt: at('gone_at'),
  },
  (t) => [
    primaryKey({ columns: [t.credentialId, t.typeId] }),
    // The catalog view serves `GET /v1/offers` from memory; the database path serves only a
    // node's first seconds, while its view loads, and the launch picker. Every index here is
    // written for every offer a sync adds or reprices, so only these two stay: ordered scans,
    // cheapest first, that stop at the page's end (the keyset cursor starts them where the last
    // page ended), unfiltered and by GPU. The picker reads the second. Migration 0008 dropped
    // the four that served only the view's searches: offers_price_idx (currency),
    // offers_gpu_idx (GPU and count), offers_price_per_gpu_idx and offers_gpu_price_per_gpu_idx.
    index('offers_search_price_idx').on(t.price, t.credentialId, t.typeId),
    index('offers_gpu_price_idx').on(t.gpuName, t.price, t.credentialId, t.typeId),
  ],
);

export const SYNC_OUTCOMES = ['ok', 'failed', 'implausible'] as const;
export type SyncOutcome = (typeof SYNC_OUTCOMES)[number];

/** One row per catalog sync attempt. */
export const syncs = pgTable(
  'syncs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    credentialId: text('credential_id')
      .notNull()
      .references(() => credentials.id, { onDelete: 'cascade' }),
    startedAt: at('started_at').notNull(),
    finishedAt: at('finished_at').notNull(),
    outcome: text('outcome', { enum: SYNC_OUTCOMES }).notNull(),
    reason: text('reason'),
    fetched: integer('fetched').notNull().default(0),
    added: integer('added').notNull().default(0),
    removed: integer('removed').notNull().default(0),
    priceChanged: integer('price_changed').notNull().default(0),
    availabilityChanged: integer('availability_changed').notNull().default(0),
    otherChanged: integer('other_changed').notNull().default(0),
    rowsWritten: integer('rows_written').notNull().default(0),
  },
  (t) => [index('syncs_credential_idx').on(t.credentialId, t.id)],
);

export const CHANGE_KINDS = ['added', 'removed', 'price', 'availability', 'spec'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** The change feed: what each sync changed, oldest first by id. */
export const catalogChanges = pgTable(
  'catalog_changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    syncId: bigint('sync_id', { mode: 'number' })
      .notNull()
      .references(() => syncs.id, { onDelete: 'cascade' }),
    credentialId: text('credential_id')
      .notNull()
      .references(() => credentials.id, { onDelete: 'cascade' }),
    typeId: text('type_id').notNull(),
    kind: text('kind', { enum: CHANGE_KINDS }).notNull(),
    before: jsonb('before').$type<Record<string, unknown>>(),
    after: jsonb('after').$type<Record<string, unknown>>(),
    at: at('at').notNull(),
  },
  (t) => [index('catalog_changes_credential_idx').on(t.credentialId, t.id)],
);

export const ROLES = ['admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

/** People and programs that call the API; every token belongs to one. */
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_name_key').on(t.name)],
);

/** API bearer tokens; only a SHA-256 of each token is kept. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    hash: text('hash').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    lastUsedAt: at('last_used_at'),
    revokedAt: at('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash_key').on(t.hash)],
);

/** Users' SSH public keys (never private ones); a launch injects the ones its user picks. */
export const sshKeys = pgTable(
  'ssh_keys',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    type: text('type').notNull(),
    bits: integer('bits').notNull(),
    fingerprint: text('fingerprint').notNull(),
    publicKey: text('public_key').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('ssh_keys_user_name_key').on(t.userId, t.name),
    uniqueIndex('ssh_keys_user_fingerprint_key').on(t.userId, t.fingerprint),
  ],
);

export const ACTIONS = ['create', 'stop', 'start', 'reboot', 'terminate'] as const;
export type InstanceAction = (typeof ACTIONS)[number];

/** What a launch by requirement asks of an offer (docs/instances.md, "Launch by requirement"). */
export interface LaunchRequirement {
  readonly gpu: string;
  readonly count?: number | undefined;
  readonly minGpuMemoryGiB?: number | undefined;
  readonly maxPricePerHour?: string | undefined;
  readonly regions?: readonly string[] | undefined;
  readonly providers?: readonly string[] | undefined;
}

/** A place a launch by requirement must not try again: an offer, a location or a credential. */
export interface AvoidedPlace {
  readonly credentialId: string;
  readonly scope: 'offer' | 'location' | 'provider';
  readonly key: string;
}

/** What a create job needs to (re)send the launch; cleared once the cloud has the instance. */
export interface LaunchIntent {
  readonly publicKey: string;
  readonly userData?: string;
  readonly firewallRules?: FirewallRules;
  readonly tags?: Record<string, string>;
}

/**
 * Instances the control plane launched or adopted. A row exists before the provider is called
 * (state `pending`, a fresh `ref_id`): it is the create's journal entry, so a crash or an
 * ambiguous answer is resolved by looking the ref id up at the cloud, never by launching again.
 */
export const instances = pgTable(
  'instances',
  {
    id: text('id').primaryKey(),
    /** The correlation id given to the provider; unique across every attempt ever made. */
    refId: text('ref_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    /**
     * Null once the credential is removed, which is refused while any of its instances is live:
     * the instance's history stays.
     */
    credentialId: text('credential_id').references(() => credentials.id, { onDelete: 'set null' }),
    provider: text('provider').notNull(),
    name: text('name').notNull(),
    typeId: text('type_id').notNull(),
    location: text('location').notNull(),
    subLocation: text('sub_location'),
    instanceType: text('instance_type').notNull(),
    gpuName: text('gpu_name'),
    gpuCount: integer('gpu_count').notNull(),
    gpuMemoryGiB: integer('gpu_memory_gib'),
    /** Null only for an adopted orphan whose offer is not in the catalog. */
    price: numeric('price', { precision: 14, scale: 6 }),
    currency: text('currency'),
    sshKeyIds: jsonb('ssh_key_ids').$type<string[]>().notNull(),
    /** A launch by requirement: what any offer must meet; null for a launch of one offer. */
    requirement: jsonb('requirement').$type<LaunchRequirement>(),
    /** Offers tried before this one (failovers after capacity or quota errors). */
    failovers: integer('failovers').notNull().default(0),
    /** Where earlier attempts of a launch by requirement were refused: not tried again. */
    avoid: jsonb('avoid').$type<AvoidedPlace[]>().notNull().default([]),
    tags: jsonb('tags').$type<Record<string, string>>().notNull(),
    /** The launch as requested; null once the cloud accepted it (user data is not kept). */
    intent: jsonb('intent').$type<LaunchIntent>(),
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash'),
    state: text('state', { enum: LIFECYCLE_STATES }).notNull(),
    nativeStatus: text('native_status'),
    statusMessage: text('status_message'),
    pendingAction: text('pending_action', { enum: ACTIONS }),
    actionRequestedAt: at('action_requested_at'),
    /**
     * When the provider last accepted the pending action (stop, start, terminate): until it is
     * overdue (ACTION_RESEND_MS), the sweep leaves the syncer to see it done instead of sending
     * it again. Every new request resets it to null; it is left as it was when the action ends,
     * and read only while its action is pending.
     */
    actionSentAt: at('action_sent_at'),
    lastErrorCode: text('last_error_code'),
    lastError: text('last_error'),
    cloudId: text('cloud_id'),
    publicIp: text('public_ip'),
    privateIp: text('private_ip'),
    hostname: text('hostname'),
    sshUser: text('ssh_user'),
    sshPort: integer('ssh_port'),
    stoppable: boolean('stoppable').notNull().default(true),
    rebootable: boolean('rebootable').notNull().default(true),
    createAttempts: integer('create_attempts').notNull().default(0),
    /** When the last create was sent: the per-credential launch rate is counted from this. */
    createSentAt: at('create_sent_at'),
    launchedAt: at('launched_at'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
    terminatedAt: at('terminated_at'),
  },
  (t) => [
    uniqueIndex('instances_ref_id_key').on(t.refId),
    uniqueIndex('instances_idempotency_key').on(t.userId, t.idempotencyKey),
    // A failed launch frees its name: the user tries again under the same one.
    uniqueIndex('instances_live_name_key')
      .on(t.userId, t.name)
      .where(sql`${t.terminatedAt} IS NULL AND ${t.state} <> 'failed'`),
    index('instances_credential_idx').on(t.credentialId, t.terminatedAt),
    index('instances_user_idx').on(t.userId, t.createdAt),
    index('instances_create_sent_idx').on(t.credentialId, t.createSentAt),
  ],
);

export const EVENT_KINDS = [
  'requested',
  'launching',
  'failover',
  'adopted',
  'state',
  'address',
  'action-failed',
  'launch-failed',
  'terminated',
  'stray',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Every change of every instance, oldest first by id; the API's timelines and SSE stream. */
export const instanceEvents = pgTable(
  'instance_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    instanceId: text('instance_id')
      .notNull()
      .references(() => instances.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    kind: text('kind', { enum: EVENT_KINDS }).notNull(),
    from: text('from_state'),
    to: text('to_state'),
    message: text('message').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>(),
    at: at('at').notNull(),
  },
  (t) => [index('instance_events_instance_idx').on(t.instanceId, t.id)],
);

/**
 * Instances a cloud reports with this credential's correlation data but no row: launched by a
 * lost row, or by hand with our tags. Kept until adopted, terminated, or gone from the cloud.
 */
export const orphans = pgTable(
  'orphans',
  {
    id: text('id').primaryKey(),
    credentialId: text('credential_id')
      .notNull()
      .references(() => credentials.id, { onDelete: 'cascade' }),
    cloudId: text('cloud_id').notNull(),
    refId: text('ref_id').notNull(),
    record: jsonb('record').$type<Instance>().notNull(),
    firstSeenAt: at('first_seen_at').notNull(),
  },
  (t) => [uniqueIndex('orphans_cloud_key').on(t.credentialId, t.cloudId)],
);

export const CAPACITY_SCOPES = ['offer', 'location', 'provider'] as const;
export type CapacityScope = (typeof CAPACITY_SCOPES)[number];

/**
 * Capacity memory: where a launch was refused for capacity, until when. Shared by every node
 * and kept across restarts; `key` is the type id, the location, or '' for the whole credential.
 */
export const capacityMarks = pgTable(
  'capacity_marks',
  {
    credentialId: text('credential_id')
      .notNull()
      .references(() => credentials.id, { onDelete: 'cascade' }),
    scope: text('scope', { enum: CAPACITY_SCOPES }).notNull(),
    key: text('key').notNull(),
    reason: text('reason').notNull(),
    until: at('until').notNull(),
    at: at('at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.credentialId, t.scope, t.key] })],
);

export const ATTEMPT_OUTCOMES = ['created', 'capacity', 'quota', 'refused', 'unconfirmed'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** Every launch attempt sent to a provider, for scorecards (success, capacity, time to run). */
export const launchAttempts = pgTable(
  'launch_attempts',
  {
    refId: text('ref_id').primaryKey(),
    instanceId: text('instance_id')
      .notNull()
      .references(() => instances.id, { onDelete: 'cascade' }),
    credentialId: text('credential_id')
      .notNull()
      .references(() => credentials.id, { onDelete: 'cascade' }),
    startedAt: at('started_at').notNull(),
    outcome: text('outcome', { enum: ATTEMPT_OUTCOMES }),
    errorCode: text('error_code'),
    error: text('error'),
    finishedAt: at('finished_at'),
    runningAt: at('running_at'),
  },
  (t) => [index('launch_attempts_credential_idx').on(t.credentialId, t.startedAt)],
);

/**
 * Job leases: who runs the work on one key (a credential's sync, an instance's create or
 * action) right now. A holder renews its lease while it works; a node that dies stops renewing,
 * and its lease lapses after its TTL, so another node can take the work over without waiting
 * for the job queue's much longer expiry.
 */
export const jobLeases = pgTable('job_leases', {
  key: text('key').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: at('expires_at').notNull(),
});

export const schema = {
  credentials,
  offers,
  syncs,
  catalogChanges,
  users,
  apiTokens,
  sshKeys,
  instances,
  instanceEvents,
  orphans,
  capacityMarks,
  launchAttempts,
  jobLeases,
};
