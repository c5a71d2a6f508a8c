import { bytes, CloudError, instanceTypeId, type Instance, type Logger } from '@cloudplane/sdk';
import { PROVIDER_ID } from './catalog.js';
import type { InstanceNameData } from './naming.js';
import { statusMap } from './status.js';
import type { InstanceWire } from './wire.js';

/** Lambda's images log in as `ubuntu` on port 22. */
export const SSH_USER = 'ubuntu';
export const SSH_PORT = 22;

/**
 * One of our instances (its name decoded to `name`) in contract form. `createdAt` comes from
 * the launch minute in the name, or `firstSeen` when the name had no room for it.
 */
export function toInstance(
  wire: InstanceWire,
  name: InstanceNameData,
  firstSeen: Date,
  logger: Logger,
): Instance {
  const region = wire.region?.name;
  const type = wire.instance_type;
  if (region === undefined || type === undefined) {
    throw new CloudError('INTERNAL', {
      message: `Lambda described instance ${wire.id} without its ${region === undefined ? 'region' : 'instance type'}; it cannot be mapped`,
    });
  }
  return {
    cloudId: wire.id,
    refId: name.refId,
    cloudCredRefId: name.cloudCredRefId,
    name: wire.name ?? '',
    provider: PROVIDER_ID,
    cloud: PROVIDER_ID,
    location: region,
    instanceTypeId: instanceTypeId({ location: region, type: type.name }),
    instanceType: type.name,
    status: statusMap.map(wire.status, { logger }),
    createdAt: (name.launchedAt ?? firstSeen).toISOString(),
    publicIp: wire.ip ?? null,
    privateIp: wire.private_ip ?? null,
    hostname: wire.hostname ?? null,
    sshUser: SSH_USER,
    sshPort: SSH_PORT,
    // Lambda keeps no tags (the `tags` capability is not declared).
    tags: {},
    diskSize: bytes(type.specs.storage_gib, 'GiB'),
    stoppable: false,
    rebootable: true,
  };
}
