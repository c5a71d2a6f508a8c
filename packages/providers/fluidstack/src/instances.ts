import { instanceTypeId, type Instance, type Logger, type TagCorrelation } from '@cloudplane/sdk';
import { PROVIDER_ID } from './catalog.js';
import { FAILED_STATE_MESSAGES, statusMap } from './status.js';
import { userTagsOf } from './tags.js';
import type { InstanceWire } from './wire.js';

/** Fluidstack's default image (ubuntu22.04) logs in as `ubuntu` on port 22. */
export const SSH_USER = 'ubuntu';
export const SSH_PORT = 22;

/**
 * One of our instances (its tags decoded to `ids`) in contract form, in the client's `region`.
 * Fluidstack reports one address, which its spec calls private: it goes to `privateIp`, and
 * `publicIp` stays null (docs/providers/fluidstack.md, "Reaching the machine"). `createdAt`
 * comes from our tag, or `firstSeen` when the tag is missing or unreadable.
 */
export function toInstance(
  wire: InstanceWire,
  ids: TagCorrelation,
  region: string,
  firstSeen: () => Date,
  logger: Logger,
): Instance {
  const message = statusMap.isKnown(wire.state) ? FAILED_STATE_MESSAGES[wire.state] : undefined;
  const ip = wire.ip?.trim() ?? '';
  return {
    cloudId: wire.id,
    refId: ids.refId,
    cloudCredRefId: ids.cloudCredRefId,
    name: wire.name,
    provider: PROVIDER_ID,
    cloud: PROVIDER_ID,
    location: region,
    instanceTypeId: instanceTypeId({ location: region, type: wire.type }),
    instanceType: wire.type,
    ...(wire.image ? { imageId: wire.image } : {}),
    status: statusMap.map(wire.state, { logger, ...(message ? { message } : {}) }),
    createdAt: ids.createdAt ?? firstSeen().toISOString(),
    publicIp: null,
    privateIp: ip === '' ? null : ip,
    hostname: null,
    sshUser: SSH_USER,
    sshPort: SSH_PORT,
    tags: userTagsOf(wire.tags),
    stoppable: true,
    rebootable: false,
  };
}
