// Original file: src/generated/proto/nebius/vpc/v1/pool.proto

export const AddressBlockState = {
  STATE_UNSPECIFIED: 'STATE_UNSPECIFIED',
  AVAILABLE: 'AVAILABLE',
  DISABLED: 'DISABLED',
} as const;

export type AddressBlockState =
  | 'STATE_UNSPECIFIED'
  | 0
  | 'AVAILABLE'
  | 1
  | 'DISABLED'
  | 2

export type AddressBlockState__Output = typeof AddressBlockState[keyof typeof AddressBlockState]
