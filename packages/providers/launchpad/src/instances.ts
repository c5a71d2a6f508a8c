import { isIP } from 'node:net';
import type { WarnOnce } from '@cloudplane/provider-kit';
import { instanceTypeId, type CorrelationIds, type Instance, type Logger } from '@cloudplane/sdk';
import { PROVIDER_ID } from './catalog.js';
import { callerTags, TAG_KEYS } from './naming.js';
import { statusMap } from './status.js';
import type { DeploymentWire } from './wire.js';

/**
 * What to use when a deployment leaves out its SSH user or port (the spec requires both; its
 * example answers `nvidia` on 2222).
 */
export const DEFAULT_SSH_USER = 'nvidia';
export const DEFAULT_SSH_PORT = 22;

/**
 * One of our deployments (its tags decoded to `ids`) as a contract Instance. The type and
 * location come from the tags written at launch, so `instanceTypeId` is exactly the catalog's;
 * the address is the expanded cluster's `public_address` (an IP or a host name).
 */
export function toInstance(
  wire: DeploymentWire,
  ids: CorrelationIds,
  tags: Record<string, string>,
  context: { readonly logger: Logger; readonly warnings: WarnOnce; readonly firstSeen: () => Date },
): Instance {
  const location = tags[TAG_KEYS.location] || wire.region || 'unknown';
  let type = tags[TAG_KEYS.instanceType];
  if (!type) {
    type = wire.gpu_alias || wire.gpu_model || 'unknown';
    context.warnings.warn(
      `untyped:${wire.id}`,
      { cloudId: wire.id },
      'a LaunchPad deployment lost the instance-type tag cloudplane wrote; its instanceTypeId may not match the catalog',
    );
  }
  const created = wire.created ? new Date(wire.created) : undefined;
  const address = addressOf(wire);
  const port = wire.ssh_port ?? 0;
  return {
    cloudId: wire.id,
    refId: ids.refId,
    cloudCredRefId: ids.cloudCredRefId,
    name: tags[TAG_KEYS.name] ?? '',
    provider: PROVIDER_ID,
    cloud: wire.provider_name || PROVIDER_ID,
    location,
    instanceTypeId: instanceTypeId({ location, type }),
    instanceType: type,
    status: statusMap.map(wire.state, { logger: context.logger }),
    createdAt: (created && !Number.isNaN(created.getTime())
      ? created
      : context.firstSeen()
    ).toISOString(),
    publicIp: address !== null && isIP(address) !== 0 ? address : null,
    privateIp: null,
    hostname: address !== null && isIP(address) === 0 ? address : null,
    sshUser: wire.ssh_user?.trim() || DEFAULT_SSH_USER,
    sshPort: Number.isInteger(port) && port >= 1 && port <= 65535 ? port : DEFAULT_SSH_PORT,
    tags: callerTags(tags),
    stoppable: true,
    rebootable: false,
  };
}

function addressOf(wire: DeploymentWire): string | null {
  const cluster = wire.cluster;
  if (cluster === null || cluster === undefined || typeof cluster === 'string') return null;
  const address = cluster.public_address?.trim() ?? '';
  return address === '' ? null : address;
}
