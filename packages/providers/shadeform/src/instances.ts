import {
  bytes,
  instanceTypeId,
  type CorrelationIds,
  type Instance,
  type Logger,
} from '@cloudplane/sdk';
import { PROVIDER_ID } from './catalog.js';
import { decodeTags, typeName } from './naming.js';
import { statusMap } from './status.js';
import type { InstanceWire } from './wire.js';

/** What Shadeform's images use when an instance does not say (the spec's own example). */
export const DEFAULT_SSH_USER = 'shadeform';
export const DEFAULT_SSH_PORT = 22;

/**
 * One of our instances (its correlation tag decoded to `ids`) in contract form. `firstSeen` is
 * the creation time when Shadeform's own is missing or unreadable.
 */
export function toInstance(
  wire: InstanceWire,
  ids: CorrelationIds,
  firstSeen: () => Date,
  logger: Logger,
): Instance {
  const type = typeName(wire.cloud, wire.shade_instance_type);
  const created = wire.created_at ? new Date(wire.created_at) : undefined;
  const ip = wire.ip?.trim() ?? '';
  const port = wire.ssh_port ?? 0;
  return {
    cloudId: wire.id,
    refId: ids.refId,
    cloudCredRefId: ids.cloudCredRefId,
    name: wire.name,
    provider: PROVIDER_ID,
    cloud: wire.cloud,
    location: wire.region,
    instanceTypeId: instanceTypeId({ location: wire.region, type }),
    instanceType: type,
    status: statusMap.map(wire.status, {
      logger,
      ...(wire.status_details ? { message: wire.status_details } : {}),
    }),
    createdAt: (created && !Number.isNaN(created.getTime()) ? created : firstSeen()).toISOString(),
    publicIp: ip === '' ? null : ip,
    privateIp: null,
    hostname: null,
    sshUser: wire.ssh_user || DEFAULT_SSH_USER,
    sshPort: port >= 1 && port <= 65535 ? port : DEFAULT_SSH_PORT,
    tags: decodeTags(wire.tags),
    diskSize: bytes(wire.configuration.storage_in_gb, 'GB'),
    stoppable: false,
    rebootable: true,
  };
}
