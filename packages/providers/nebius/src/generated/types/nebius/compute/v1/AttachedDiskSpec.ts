// Original file: src/generated/proto/nebius/compute/v1/instance.proto

import type { ExistingDisk as _nebius_compute_v1_ExistingDisk, ExistingDisk__Output as _nebius_compute_v1_ExistingDisk__Output } from '../../../nebius/compute/v1/ExistingDisk.js';
import type { ManagedDisk as _nebius_compute_v1_ManagedDisk, ManagedDisk__Output as _nebius_compute_v1_ManagedDisk__Output } from '../../../nebius/compute/v1/ManagedDisk.js';

// Original file: src/generated/proto/nebius/compute/v1/instance.proto

export const _nebius_compute_v1_AttachedDiskSpec_AttachMode = {
  UNSPECIFIED: 'UNSPECIFIED',
  READ_ONLY: 'READ_ONLY',
  READ_WRITE: 'READ_WRITE',
} as const;

export type _nebius_compute_v1_AttachedDiskSpec_AttachMode =
  | 'UNSPECIFIED'
  | 0
  | 'READ_ONLY'
  | 1
  | 'READ_WRITE'
  | 2

export type _nebius_compute_v1_AttachedDiskSpec_AttachMode__Output = typeof _nebius_compute_v1_AttachedDiskSpec_AttachMode[keyof typeof _nebius_compute_v1_AttachedDiskSpec_AttachMode]

export interface AttachedDiskSpec {
  'attachMode'?: (_nebius_compute_v1_AttachedDiskSpec_AttachMode);
  'existingDisk'?: (_nebius_compute_v1_ExistingDisk | null);
  'deviceId'?: (string);
  'managedDisk'?: (_nebius_compute_v1_ManagedDisk | null);
  'type'?: "existingDisk"|"managedDisk";
}

export interface AttachedDiskSpec__Output {
  'attachMode': (_nebius_compute_v1_AttachedDiskSpec_AttachMode__Output);
  'existingDisk'?: (_nebius_compute_v1_ExistingDisk__Output | null);
  'deviceId': (string);
  'managedDisk'?: (_nebius_compute_v1_ManagedDisk__Output | null);
  'type'?: "existingDisk"|"managedDisk";
}
