import {
  bytes,
  defineStatusMap,
  defineTagScheme,
  instanceTypeId,
  normalizeGpu,
  parseMoney,
  userTagsOf,
  type GpuRecord,
  type Instance,
  type InstanceType,
  type LifecycleState,
  type Logger,
} from '@cloudplane/sdk';
import type { WireInstance, WireOffer } from './wire.js';

export const PROVIDER_ID = 'devcloud';

/** Tag keys that carry correlation; instances without them were not made by cloudplane. */
export const TAG_SCHEME = defineTagScheme({ separator: '-', reserve: 'keys' });
export const REF_ID_TAG = TAG_SCHEME.refIdKey;
export const CRED_REF_ID_TAG = TAG_SCHEME.cloudCredRefIdKey;

/** Every native status devcloud documents, and what it means. */
export const STATUS_TABLE = {
  provisioning: 'pending',
  booting: 'pending',
  running: 'running',
  stopping: 'stopping',
  stopped: 'stopped',
  starting: 'pending',
  rebooting: 'pending',
  terminating: 'terminating',
  terminated: 'terminated',
  boot_failed: 'failed',
} as const satisfies Record<string, LifecycleState>;

export const statusMap = defineStatusMap(STATUS_TABLE, {
  fallback: 'pending',
  provider: PROVIDER_ID,
});

/** "8x NVIDIA H100 80GB HBM3" → the GPU description without the count. */
function gpuDescription(offer: WireOffer): string {
  return offer.gpu.description.replace(/^\d+x\s+/, '');
}

export function typeIdOf(region: string, zone: string | null, type: string): string {
  return instanceTypeId({ location: region, subLocation: zone ?? undefined, type });
}

/**
 * normalizeGpu's record for a description, remembered: a catalog of thousands of types names a
 * few dozen GPUs, and normalising one is the dearest step of mapping an offer. Bounded, because
 * descriptions come from outside.
 */
const gpuRecords = new Map<string, GpuRecord>();
const MAX_GPU_RECORDS = 1024;

function gpuRecordOf(raw: string): GpuRecord {
  const known = gpuRecords.get(raw);
  if (known !== undefined) return known;
  const { record } = normalizeGpu(raw, { source: PROVIDER_ID });
  if (gpuRecords.size >= MAX_GPU_RECORDS) gpuRecords.clear();
  // Frozen: one record is shared by every type with this GPU.
  gpuRecords.set(raw, Object.freeze(record));
  return record;
}

export function toInstanceType(offer: WireOffer): InstanceType {
  const raw = gpuDescription(offer);
  const record = gpuRecordOf(raw);
  return {
    id: typeIdOf(offer.region, offer.zone, offer.name),
    type: offer.name,
    provider: PROVIDER_ID,
    cloud: PROVIDER_ID,
    location: offer.region,
    ...(offer.zone !== null ? { subLocation: offer.zone } : {}),
    availableZones: offer.zone !== null ? [offer.zone] : [],
    gpus: offer.gpu.count > 0 ? [{ count: offer.gpu.count, gpu: record, raw }] : [],
    vcpu: offer.vcpus,
    memory: bytes(offer.memory_gib, 'GiB'),
    storage: [{ kind: 'nvme', count: 1, size: bytes(offer.disk_gb, 'GB'), elastic: false }],
    architecture: 'x86_64',
    price: parseMoney(offer.price_per_hour, 'USD'),
    available: offer.available_capacity > 0,
    stoppable: offer.stoppable,
    rebootable: true,
    canModifyFirewallRules: false,
    estimatedDeploySeconds: 5,
  };
}

export function toInstance(
  wire: WireInstance,
  correlation: { refId: string; cloudCredRefId: string },
  stoppable: boolean,
  logger?: Logger,
): Instance {
  const userTags = userTagsOf(TAG_SCHEME, wire.tags);
  return {
    cloudId: wire.id,
    refId: correlation.refId,
    cloudCredRefId: correlation.cloudCredRefId,
    name: wire.name,
    provider: PROVIDER_ID,
    cloud: PROVIDER_ID,
    location: wire.region,
    ...(wire.zone !== null ? { subLocation: wire.zone } : {}),
    instanceTypeId: typeIdOf(wire.region, wire.zone, wire.instance_type),
    instanceType: wire.instance_type,
    status: statusMap.map(wire.status, {
      message: wire.status_message ?? undefined,
      ...(logger ? { logger } : {}),
    }),
    createdAt: wire.created_at,
    publicIp: wire.public_ip,
    privateIp: wire.private_ip,
    hostname: null,
    sshUser: wire.ssh_user,
    sshPort: wire.ssh_port,
    tags: userTags,
    diskSize: bytes(wire.disk_gb, 'GB'),
    stoppable,
    rebootable: true,
  };
}
