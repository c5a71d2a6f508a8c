// Original file: src/generated/proto/nebius/vpc/v1/pool.proto

export const IpVisibility = {
  IP_VISIBILITY_UNSPECIFIED: 'IP_VISIBILITY_UNSPECIFIED',
  PRIVATE: 'PRIVATE',
  PUBLIC: 'PUBLIC',
} as const;

export type IpVisibility =
  | 'IP_VISIBILITY_UNSPECIFIED'
  | 0
  | 'PRIVATE'
  | 1
  | 'PUBLIC'
  | 2

export type IpVisibility__Output = typeof IpVisibility[keyof typeof IpVisibility]
