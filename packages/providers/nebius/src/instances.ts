import { bytes, instanceTypeId, type Instance, type Logger, type Tags } from '@cloudplane/sdk';
import { PROVIDER_ID, typeName } from './catalog.js';
import { statusMap } from './status.js';
import { timestampToIso, type InstanceWire } from './wire.js';

/**
 * Correlation lives in the instance's metadata labels, which Nebius stores and returns as given.
 * Other labels are the user's tags.
 */
export const LABELS = {
  refId: 'cloudplane-ref-id',
  cloudCredRefId: 'cloudplane-cred-ref-id',
} as const;
const OURS: ReadonlySet<string> = new Set(Object.values(LABELS));

/** Nebius's Ubuntu images log in as `ubuntu`; cloud-init authorizes the key for that user. */
export const SSH_USER = 'ubuntu';
export const SSH_PORT = 22;

export function isOurLabel(key: string): boolean {
  return OURS.has(key);
}

/** The correlation labels of an instance, or undefined for one cloudplane did not create. */
export function correlationOf(
  wire: InstanceWire,
): { refId: string; cloudCredRefId: string } | undefined {
  const refId = wire.metadata.labels[LABELS.refId];
  const cloudCredRefId = wire.metadata.labels[LABELS.cloudCredRefId];
  if (!refId || !cloudCredRefId) return undefined;
  return { refId, cloudCredRefId };
}

export function toInstance(
  wire: InstanceWire,
  ids: { refId: string; cloudCredRefId: string },
  region: string,
  logger: Logger,
): Instance {
  const type = typeName(wire.spec.resources.platform, wire.spec.resources.preset);
  const nic = wire.status?.networkInterfaces[0];
  const tags: Tags = {};
  for (const [key, value] of Object.entries(wire.metadata.labels)) {
    if (!isOurLabel(key)) tags[key] = value;
  }
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
