// Original file: src/generated/proto/nebius/vpc/v1/pool.proto

export const IpVersion = {
  IP_VERSION_UNSPECIFIED: 'IP_VERSION_UNSPECIFIED',
  IPV4: 'IPV4',
  IPV6: 'IPV6',
} as const;

export type IpVersion =
  | 'IP_VERSION_UNSPECIFIED'
  | 0
  | 'IPV4'
  | 1
  | 'IPV6'
  | 2

export type IpVersion__Output = typeof IpVersion[keyof typeof IpVersion]
