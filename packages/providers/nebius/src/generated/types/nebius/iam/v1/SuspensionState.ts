// Original file: src/generated/proto/nebius/iam/v1/suspension_state.proto

export const SuspensionState = {
  SUSPENSION_STATE_UNSPECIFIED: 'SUSPENSION_STATE_UNSPECIFIED',
  NONE: 'NONE',
  SUSPENDING: 'SUSPENDING',
  SUSPENDED: 'SUSPENDED',
  RESUMING: 'RESUMING',
} as const;

export type SuspensionState =
  | 'SUSPENSION_STATE_UNSPECIFIED'
  | 0
  | 'NONE'
  | 1
  | 'SUSPENDING'
  | 2
  | 'SUSPENDED'
  | 3
  | 'RESUMING'
  | 4

export type SuspensionState__Output = typeof SuspensionState[keyof typeof SuspensionState]
