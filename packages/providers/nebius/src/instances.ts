import {
  bytes,
  defineTagScheme,
  instanceTypeId,
  readCorrelationTags,
  userTagsOf,
  type CorrelationIds,
  type Instance,
  type Logger,
} from '@cloudplane/sdk';
import { PROVIDER_ID, typeName } from './catalog.js';
import { statusMap } from './status.js';
import { timestampToIso, type InstanceWire } from './wire.js';

/**
 * Correlation lives in the instance's metadata labels, which Nebius stores and returns as given.
 * Other labels are the user's tags; only our two keys are reserved.
 */
export const LABEL_SCHEME = defineTagScheme({ separator: '-', reserve: 'keys' });
export const LABELS = {
  refId: LABEL_SCHEME.refIdKey,
  cloudCredRefId: LABEL_SCHEME.cloudCredRefIdKey,
} as const;

/** Nebius's Ubuntu images log in as `ubuntu`; cloud-init authorizes the key for that user. */
export const SSH_USER = 'ubuntu';
export const SSH_PORT = 22;

/** The correlation labels of an instance, or undefined for one cloudplane did not create. */
export function correlationOf(wire: InstanceWire): CorrelationIds | undefined {
  return readCorrelationTags(LABEL_SCHEME, wire.metadata.labels) ?? undefined;
}

export function toInstance(
  wire: InstanceWire,
  ids: CorrelationIds,
  region: string,
  logger: Logger,
): Instance {
  const type = typeName(wire.spec.resources.platform, wire.spec.resources.preset);
  const nic = wire.status?.networkInterfaces[0];
  const tags = userTagsOf(LABEL_SCHEME, wire.metadata.labels);
  const disk = wire.spec.bootDisk?.managedDisk?.spec;
  const diskGiB = Number(disk?.sizeGibibytes ?? 0);
  const image = disk?.sourceImageId || disk?.sourceImageFamily?.imageFamily;
  return {
    cloudId: wire.metadata.id,
    refId: ids.refId,
    cloudCredRefId: ids.cloudCredRefId,
    name: wire.metadata.name,
    provider: PROVIDER_ID,
    cloud: PROVIDER_ID,
    location: region,
    instanceTypeId: instanceTypeId({ location: region, type }),
    instanceType: type,
    ...(image ? { imageId: image } : {}),
    status: statusMap.map(wire.status?.state ?? 'UNSPECIFIED', { logger }),
    createdAt: timestampToIso(wire.metadata.createdAt),
    publicIp: hostAddress(nic?.publicIpAddress?.address),
    privateIp: hostAddress(nic?.ipAddress?.address),
    hostname: nic?.fqdn || wire.spec.hostname || null,
    sshUser: SSH_USER,
    sshPort: SSH_PORT,
    tags,
    ...(diskGiB > 0 ? { diskSize: bytes(diskGiB, 'GiB') } : {}),
    stoppable: true,
    rebootable: false,
  };
}

/** Nebius writes addresses as prefixes (`203.0.113.7/32`); the contract wants the address. */
function hostAddress(value: string | undefined): string | null {
  if (!value) return null;
  return value.split('/')[0] ?? null;
}
