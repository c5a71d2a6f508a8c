// Original file: src/generated/proto/nebius/compute/v1/instance.proto

export const InstanceRecoveryPolicy = {
  RECOVER: 'RECOVER',
  FAIL: 'FAIL',
  ALWAYS: 'ALWAYS',
} as const;

export type InstanceRecoveryPolicy =
  | 'RECOVER'
  | 0
  | 'FAIL'
  | 1
  | 'ALWAYS'
  | 2

export type InstanceRecoveryPolicy__Output = typeof InstanceRecoveryPolicy[keyof typeof InstanceRecoveryPolicy]
