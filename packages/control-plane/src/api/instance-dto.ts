import { LIFECYCLE_STATES, type Capability } from '@cloudplane/sdk';
import { z } from 'zod';
import { ACTIONS, EVENT_KINDS, ROLES } from '../db/schema.js';
import type { EventRow } from '../instances/events.js';
import type { InstanceRow } from '../instances/observe.js';
import type { OrphanRow } from '../instances/orphans.js';
import { USER_ACTIONS, allowedActions } from '../instances/service.js';
import { offerId, trimDecimal } from './dto.js';
import type { SshKey } from '../users/ssh-keys.js';
import type { User } from '../users/users.js';

/** What the API sends about users, keys, instances, events and orphans (docs/instances.md). */

const iso = z.iso.datetime();

export const UserDto = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  createdAt: iso,
});

export function userDto(user: User): z.infer<typeof UserDto> {
  return { id: user.id, name: user.name, role: user.role, createdAt: user.createdAt.toISOString() };
}

export const SshKeyDto = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  bits: z.number().int(),
  fingerprint: z.string(),
  publicKey: z.string(),
  createdAt: iso,
});

export function sshKeyDto(key: SshKey): z.infer<typeof SshKeyDto> {
  return {
    id: key.id,
    name: key.name,
    type: key.type,
    bits: key.bits,
    fingerprint: key.fingerprint,
    publicKey: key.publicKey,
    createdAt: key.createdAt.toISOString(),
  };
}

export const InstanceDto = z.object({
  id: z.string(),
  name: z.string(),
  userId: z.string(),
  credentialId: z.string().nullable().describe('null once the credential was removed'),
  provider: z.string(),
  offerId: z.string().nullable(),
  region: z.string(),
  subRegion: z.string().nullable(),
  type: z.string(),
  gpu: z.object({
    name: z.string().nullable(),
    count: z.number().int(),
    memoryGiB: z.number().int().nullable(),
  }),
  price: z.object({ perHour: z.string(), currency: z.string() }).nullable(),
  state: z.enum(LIFECYCLE_STATES),
  nativeStatus: z.string().nullable(),
  statusMessage: z.string().nullable(),
  pendingAction: z.enum(ACTIONS).nullable(),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  refId: z.string(),
  cloudId: z.string().nullable(),
  publicIp: z.string().nullable(),
  privateIp: z.string().nullable(),
  hostname: z.string().nullable(),
  ssh: z.object({ user: z.string(), host: z.string(), port: z.number().int() }).nullable(),
  sshKeyIds: z.array(z.string()),
  tags: z.record(z.string(), z.string()),
  actions: z.array(z.enum(USER_ACTIONS)),
  capabilities: z.array(z.string()),
  createdAt: iso,
  updatedAt: iso,
  launchedAt: iso.nullable(),
  terminatedAt: iso.nullable(),
});
export type InstanceBody = z.infer<typeof InstanceDto>;

export function instanceDto(row: InstanceRow, capabilities: readonly Capability[]): InstanceBody {
  const host = row.publicIp ?? row.hostname ?? row.privateIp;
  return {
    id: row.id,
    name: row.name,
    userId: row.userId,
    credentialId: row.credentialId,
    provider: row.provider,
    offerId: row.credentialId === null ? null : offerId(row.credentialId, row.typeId),
    region: row.location,
    subRegion: row.subLocation,
    type: row.instanceType,
    gpu: { name: row.gpuName, count: row.gpuCount, memoryGiB: row.gpuMemoryGiB },
    price:
      row.price === null || row.currency === null
        ? null
        : { perHour: trimDecimal(row.price), currency: row.currency },
    state: row.state,
    nativeStatus: row.nativeStatus,
    statusMessage: row.statusMessage,
    pendingAction: row.pendingAction,
    lastError:
      row.lastErrorCode === null ? null : { code: row.lastErrorCode, message: row.lastError ?? '' },
    refId: row.refId,
    cloudId: row.cloudId,
    publicIp: row.publicIp,
    privateIp: row.privateIp,
    hostname: row.hostname,
    ssh:
      host !== null && row.sshUser !== null && row.sshPort !== null && row.state === 'running'
        ? { user: row.sshUser, host, port: row.sshPort }
        : null,
    sshKeyIds: row.sshKeyIds,
    tags: row.tags,
    actions: allowedActions(row, capabilities),
    capabilities: [...capabilities],
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    launchedAt: row.launchedAt?.toISOString() ?? null,
    terminatedAt: row.terminatedAt?.toISOString() ?? null,
  };
}

export const EventDto = z.object({
  id: z.number().int(),
  instanceId: z.string(),
  kind: z.enum(EVENT_KINDS),
  from: z.string().nullable(),
  to: z.string().nullable(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()).nullable(),
  at: iso,
});

export function eventDto(row: EventRow): z.infer<typeof EventDto> {
  return {
    id: row.id,
    instanceId: row.instanceId,
    kind: row.kind,
    from: row.from,
    to: row.to,
    message: row.message,
    data: row.data,
    at: row.at.toISOString(),
  };
}

export const OrphanDto = z.object({
  id: z.string(),
  credentialId: z.string(),
  provider: z.string(),
  cloudId: z.string(),
  refId: z.string(),
  name: z.string(),
  region: z.string(),
  type: z.string(),
  state: z.enum(LIFECYCLE_STATES),
  firstSeenAt: iso,
});

export function orphanDto(row: OrphanRow): z.infer<typeof OrphanDto> {
  return {
    id: row.id,
    credentialId: row.credentialId,
    provider: row.record.provider,
    cloudId: row.cloudId,
    refId: row.refId,
    name: row.record.name,
    region: row.record.location,
    type: row.record.instanceType,
    state: row.record.status.lifecycle,
    firstSeenAt: row.firstSeenAt.toISOString(),
  };
}
