// Original file: src/generated/proto/nebius/compute/v1/disk.proto

import type { Long } from '@grpc/proto-loader';

export interface _nebius_compute_v1_DiskStatus_LockState {
  'images'?: (string)[];
  'snapshots'?: (string)[];
}

export interface _nebius_compute_v1_DiskStatus_LockState__Output {
  'images': (string)[];
  'snapshots': (string)[];
}

// Original file: src/generated/proto/nebius/compute/v1/disk.proto

export const _nebius_compute_v1_DiskStatus_SourceImageCPUArchitecture = {
  SOURCE_IMAGE_CPU_UNSPECIFIED: 'SOURCE_IMAGE_CPU_UNSPECIFIED',
  AMD64: 'AMD64',
  ARM64: 'ARM64',
} as const;

export type _nebius_compute_v1_DiskStatus_SourceImageCPUArchitecture =
  | 'SOURCE_IMAGE_CPU_UNSPECIFIED'
  | 0
  | 'AMD64'
  | 1
  | 'ARM64'
  | 2

export type _nebius_compute_v1_DiskStatus_SourceImageCPUArchitecture__Output = typeof _nebius_compute_v1_DiskStatus_SourceImageCPUArchitecture[keyof typeof _nebius_compute_v1_DiskStatus_SourceImageCPUArchitecture]

// Original file: src/generated/proto/nebius/compute/v1/disk.proto

export const _nebius_compute_v1_DiskStatus_State = {
  UNSPECIFIED: 'UNSPECIFIED',
  CREATING: 'CREATING',
  READY: 'READY',
  UPDATING: 'UPDATING',
  DELETING: 'DELETING',
  ERROR: 'ERROR',
  BROKEN: 'BROKEN',
} as const;

export type _nebius_compute_v1_DiskStatus_State =
  | 'UNSPECIFIED'
  | 0
  | 'CREATING'
  | 1
  | 'READY'
  | 2
  | 'UPDATING'
  | 3
  | 'DELETING'
  | 4
  | 'ERROR'
  | 5
  | 'BROKEN'
  | 6

export type _nebius_compute_v1_DiskStatus_State__Output = typeof _nebius_compute_v1_DiskStatus_State[keyof typeof _nebius_compute_v1_DiskStatus_State]

export interface DiskStatus {
  'state'?: (_nebius_compute_v1_DiskStatus_State);
  'stateDescription'?: (string);
  'readWriteAttachment'?: (string);
  'readOnlyAttachments'?: (string)[];
  'sourceImageId'?: (string);
  'sizeBytes'?: (number | string | Long);
  'reconciling'?: (boolean);
  'blockSizeBytes'?: (number | string | Long);
  'sourceImageCpuArchitecture'?: (_nebius_compute_v1_DiskStatus_SourceImageCPUArchitecture);
  'lockState'?: (_nebius_compute_v1_DiskStatus_LockState | null);
  'managedBy'?: (string);
}

export interface DiskStatus__Output {
  'state': (_nebius_compute_v1_DiskStatus_State__Output);
  'stateDescription': (string);
  'readWriteAttachment': (string);
  'readOnlyAttachments': (string)[];
  'sourceImageId': (string);
  'sizeBytes': (string);
  'reconciling': (boolean);
  'blockSizeBytes': (string);
  'sourceImageCpuArchitecture': (_nebius_compute_v1_DiskStatus_SourceImageCPUArchitecture__Output);
  'lockState': (_nebius_compute_v1_DiskStatus_LockState__Output | null);
  'managedBy': (string);
}
