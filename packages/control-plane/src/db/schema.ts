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
import type { InstanceType } from '@cloudplane/sdk';

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
  },
  (t) => [uniqueIndex('credentials_name_key').on(t.name)],
);

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
    index('offers_price_idx').on(t.currency, t.price, t.credentialId, t.typeId),
    index('offers_gpu_idx').on(t.gpuName, t.gpuCount),
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

/** API bearer tokens; only a SHA-256 of each token is kept. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    hash: text('hash').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    lastUsedAt: at('last_used_at'),
    revokedAt: at('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash_key').on(t.hash)],
);

export const schema = { credentials, offers, syncs, catalogChanges, apiTokens };
