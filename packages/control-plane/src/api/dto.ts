import { InstanceTypeSchema } from '@cloudplane/sdk';
import { z } from 'zod';
import type { OfferRecord } from '../catalog/query.js';
import type { CredentialSummary } from '../credentials/store.js';
import type { TokenSummary } from '../auth/tokens.js';
import type { CapacityMark } from '../instances/capacity.js';
import {
  CAPACITY_SCOPES,
  CHANGE_KINDS,
  SYNC_OUTCOMES,
  SYNC_STATES,
  type catalogChanges,
  type syncs,
} from '../db/schema.js';

/** What the API sends: plain JSON shapes (dates as ISO strings), documented in /openapi.json. */

const iso = z.iso.datetime();

export const ErrorDto = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

export const OfferDto = z.object({
  id: z.string().describe('what POST /v1/instances takes as offerId'),
  credentialId: z.string(),
  typeId: z.string(),
  provider: z.string(),
  cloud: z.string(),
  region: z.string(),
  type: z.string(),
  gpu: z.object({
    name: z.string().nullable(),
    count: z.number().int(),
    memoryGiB: z.number().int().nullable(),
    formFactor: z.string().nullable(),
  }),
  vcpu: z.number().int(),
  memoryGiB: z.number(),
  price: z.object({ perHour: z.string(), currency: z.string() }),
  available: z
    .boolean()
    .describe('launchable now: listed available and no capacity mark covers it'),
  capacity: z
    .object({ unavailableUntil: iso, reason: z.string(), scope: z.enum(CAPACITY_SCOPES) })
    .nullable()
    .describe('a recent capacity refusal that covers this offer (capacity memory)'),
  goneAt: iso.nullable(),
  updatedAt: iso,
  instanceType: InstanceTypeSchema,
});

export function offerDto(
  row: OfferRecord,
  mark: CapacityMark | null = null,
): z.infer<typeof OfferDto> {
  return {
    ...offerListing(row),
    available: row.available && mark === null,
    capacity: mark === null ? null : capacityDto(mark),
    goneAt: row.goneAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
    instanceType: row.record,
  };
}

/** A capacity mark as an offer shows it. */
export function capacityDto(mark: CapacityMark) {
  return { unavailableUntil: mark.until.toISOString(), reason: mark.reason, scope: mark.scope };
}

/** An offer's fields up to its price: what a search shows of it that changes only by sync. */
export function offerListing(row: Omit<OfferRecord, 'record'>) {
  return {
    id: offerId(row.credentialId, row.typeId),
    credentialId: row.credentialId,
    typeId: row.typeId,
    provider: row.provider,
    cloud: row.cloud,
    region: row.location,
    type: row.type,
    gpu: {
      name: row.gpuName,
      count: row.gpuCount,
      memoryGiB: row.gpuMemoryGiB,
      formFactor: row.gpuFormFactor,
    },
    vcpu: row.vcpu,
    memoryGiB: row.memoryGiB,
    price: { perHour: trimDecimal(row.price), currency: row.currency },
  };
}

/** An offer's id: credential ids are UUIDs, so the first ":" separates the two parts. */
export function offerId(credentialId: string, typeId: string): string {
  return `${credentialId}:${typeId}`;
}

/** numeric(14,6) comes back as "2.990000"; people read "2.99". */
export function trimDecimal(value: string): string {
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value;
}

/** What the instance syncer does with a credential's orphans (docs/instances.md, Orphans). */
export const OrphanPolicySchema = z
  .union([
    z.literal('report'),
    z.object({ terminateAfterMinutes: z.number().int().min(0).max(10_080) }),
  ])
  .describe("'report' (the default), or terminate orphans seen for this many minutes");

export function orphanPolicyMs(policy: z.infer<typeof OrphanPolicySchema>): number | null {
  return policy === 'report' ? null : policy.terminateAfterMinutes * 60_000;
}

export const CredentialDto = z.object({
  id: z.string(),
  provider: z.string(),
  name: z.string(),
  createdAt: iso,
  settings: z.record(z.string(), z.unknown()),
  sync: z.object({
    state: z.enum(SYNC_STATES),
    reason: z.string().nullable(),
    lastSyncAt: iso.nullable(),
    lastGoodSyncAt: iso.nullable(),
  }),
  instancesSyncError: z
    .string()
    .nullable()
    .describe("why the instance syncer's latest list failed; null while lists succeed"),
  orphanPolicy: OrphanPolicySchema,
});

export function credentialDto(c: CredentialSummary): z.infer<typeof CredentialDto> {
  const { orphanTerminateAfterMs, ...rest } = c;
  return {
    ...rest,
    orphanPolicy:
      orphanTerminateAfterMs === null
        ? 'report'
        : { terminateAfterMinutes: Math.round(orphanTerminateAfterMs / 60_000) },
    createdAt: c.createdAt.toISOString(),
    sync: {
      state: c.sync.state,
      reason: c.sync.reason,
      lastSyncAt: c.sync.lastSyncAt?.toISOString() ?? null,
      lastGoodSyncAt: c.sync.lastGoodSyncAt?.toISOString() ?? null,
    },
  };
}

export const SyncDto = z.object({
  id: z.number().int(),
  startedAt: iso,
  finishedAt: iso,
  outcome: z.enum(SYNC_OUTCOMES),
  reason: z.string().nullable(),
  fetched: z.number().int(),
  added: z.number().int(),
  removed: z.number().int(),
  priceChanged: z.number().int(),
  availabilityChanged: z.number().int(),
  otherChanged: z.number().int(),
  rowsWritten: z.number().int(),
});

export function syncDto(row: typeof syncs.$inferSelect): z.infer<typeof SyncDto> {
  const { credentialId: _credentialId, ...rest } = row;
  return {
    ...rest,
    startedAt: row.startedAt.toISOString(),
    finishedAt: row.finishedAt.toISOString(),
  };
}

export const ChangeDto = z.object({
  id: z.number().int(),
  syncId: z.number().int(),
  credentialId: z.string(),
  typeId: z.string(),
  kind: z.enum(CHANGE_KINDS),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  at: iso,
});

export function changeDto(row: typeof catalogChanges.$inferSelect): z.infer<typeof ChangeDto> {
  return { ...row, at: row.at.toISOString() };
}

export const TokenDto = z.object({
  id: z.string(),
  name: z.string(),
  userId: z.string(),
  createdAt: iso,
  lastUsedAt: iso.nullable(),
  revokedAt: iso.nullable(),
});

export function tokenDto(t: TokenSummary): z.infer<typeof TokenDto> {
  return {
    id: t.id,
    name: t.name,
    userId: t.userId,
    createdAt: t.createdAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}
