// Original file: src/generated/proto/nebius/compute/v1/disk.proto


// Original file: src/generated/proto/nebius/compute/v1/disk.proto

export const _nebius_compute_v1_DiskEncryption_DiskEncryptionType = {
  DISK_ENCRYPTION_UNSPECIFIED: 'DISK_ENCRYPTION_UNSPECIFIED',
  DISK_ENCRYPTION_MANAGED: 'DISK_ENCRYPTION_MANAGED',
} as const;

export type _nebius_compute_v1_DiskEncryption_DiskEncryptionType =
  | 'DISK_ENCRYPTION_UNSPECIFIED'
  | 0
  | 'DISK_ENCRYPTION_MANAGED'
  | 1

export type _nebius_compute_v1_DiskEncryption_DiskEncryptionType__Output = typeof _nebius_compute_v1_DiskEncryption_DiskEncryptionType[keyof typeof _nebius_compute_v1_DiskEncryption_DiskEncryptionType]

export interface DiskEncryption {
  'type'?: (_nebius_compute_v1_DiskEncryption_DiskEncryptionType);
}

export interface DiskEncryption__Output {
  'type': (_nebius_compute_v1_DiskEncryption_DiskEncryptionType__Output);
}
