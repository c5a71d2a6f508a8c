// Original file: src/generated/proto/nebius/compute/v1/disk.proto

import type { SourceImageFamily as _nebius_compute_v1_SourceImageFamily, SourceImageFamily__Output as _nebius_compute_v1_SourceImageFamily__Output } from '../../../nebius/compute/v1/SourceImageFamily.js';
import type { DiskEncryption as _nebius_compute_v1_DiskEncryption, DiskEncryption__Output as _nebius_compute_v1_DiskEncryption__Output } from '../../../nebius/compute/v1/DiskEncryption.js';
import type { Long } from '@grpc/proto-loader';

// Original file: src/generated/proto/nebius/compute/v1/disk.proto

export const _nebius_compute_v1_DiskSpec_DiskType = {
  UNSPECIFIED: 'UNSPECIFIED',
  NETWORK_SSD: 'NETWORK_SSD',
  NETWORK_HDD: 'NETWORK_HDD',
  NETWORK_SSD_NON_REPLICATED: 'NETWORK_SSD_NON_REPLICATED',
  NETWORK_SSD_IO_M3: 'NETWORK_SSD_IO_M3',
} as const;

export type _nebius_compute_v1_DiskSpec_DiskType =
  | 'UNSPECIFIED'
  | 0
  | 'NETWORK_SSD'
  | 1
  | 'NETWORK_HDD'
  | 2
  | 'NETWORK_SSD_NON_REPLICATED'
  | 3
  | 'NETWORK_SSD_IO_M3'
  | 4

export type _nebius_compute_v1_DiskSpec_DiskType__Output = typeof _nebius_compute_v1_DiskSpec_DiskType[keyof typeof _nebius_compute_v1_DiskSpec_DiskType]

export interface DiskSpec {
  'sizeBytes'?: (number | string | Long);
  'sizeKibibytes'?: (number | string | Long);
  'sizeMebibytes'?: (number | string | Long);
  'sizeGibibytes'?: (number | string | Long);
  'blockSizeBytes'?: (number | string | Long);
  'type'?: (_nebius_compute_v1_DiskSpec_DiskType);
  'sourceImageId'?: (string);
  'sourceImageFamily'?: (_nebius_compute_v1_SourceImageFamily | null);
  'diskEncryption'?: (_nebius_compute_v1_DiskEncryption | null);
  'forbidDeletion'?: (boolean);
  'sourceSnapshotId'?: (string);
  'size'?: "sizeBytes"|"sizeKibibytes"|"sizeMebibytes"|"sizeGibibytes";
  'source'?: "sourceImageId"|"sourceImageFamily"|"sourceSnapshotId";
}

export interface DiskSpec__Output {
  'sizeBytes'?: (string);
  'sizeKibibytes'?: (string);
  'sizeMebibytes'?: (string);
  'sizeGibibytes'?: (string);
  'blockSizeBytes': (string);
  'type': (_nebius_compute_v1_DiskSpec_DiskType__Output);
  'sourceImageId'?: (string);
  'sourceImageFamily'?: (_nebius_compute_v1_SourceImageFamily__Output | null);
  'diskEncryption': (_nebius_compute_v1_DiskEncryption__Output | null);
  'forbidDeletion': (boolean);
  'sourceSnapshotId'?: (string);
  'size'?: "sizeBytes"|"sizeKibibytes"|"sizeMebibytes"|"sizeGibibytes";
  'source'?: "sourceImageId"|"sourceImageFamily"|"sourceSnapshotId";
}
