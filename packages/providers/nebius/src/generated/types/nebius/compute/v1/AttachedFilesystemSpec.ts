// Original file: src/generated/proto/nebius/compute/v1/instance.proto

import type { ExistingFilesystem as _nebius_compute_v1_ExistingFilesystem, ExistingFilesystem__Output as _nebius_compute_v1_ExistingFilesystem__Output } from '../../../nebius/compute/v1/ExistingFilesystem.js';

// Original file: src/generated/proto/nebius/compute/v1/instance.proto

export const _nebius_compute_v1_AttachedFilesystemSpec_AttachMode = {
  UNSPECIFIED: 'UNSPECIFIED',
  READ_ONLY: 'READ_ONLY',
  READ_WRITE: 'READ_WRITE',
} as const;

export type _nebius_compute_v1_AttachedFilesystemSpec_AttachMode =
  | 'UNSPECIFIED'
  | 0
  | 'READ_ONLY'
  | 1
  | 'READ_WRITE'
  | 2

export type _nebius_compute_v1_AttachedFilesystemSpec_AttachMode__Output = typeof _nebius_compute_v1_AttachedFilesystemSpec_AttachMode[keyof typeof _nebius_compute_v1_AttachedFilesystemSpec_AttachMode]

export interface AttachedFilesystemSpec {
  'attachMode'?: (_nebius_compute_v1_AttachedFilesystemSpec_AttachMode);
  'mountTag'?: (string);
  'existingFilesystem'?: (_nebius_compute_v1_ExistingFilesystem | null);
  'type'?: "existingFilesystem";
}

export interface AttachedFilesystemSpec__Output {
  'attachMode': (_nebius_compute_v1_AttachedFilesystemSpec_AttachMode__Output);
  'mountTag': (string);
  'existingFilesystem'?: (_nebius_compute_v1_ExistingFilesystem__Output | null);
  'type'?: "existingFilesystem";
}
