// Original file: src/generated/proto/nebius/annotations.proto

export const MethodBehavior = {
  METHOD_BEHAVIOR_UNSPECIFIED: 'METHOD_BEHAVIOR_UNSPECIFIED',
  METHOD_UPDATER: 'METHOD_UPDATER',
  METHOD_PAGINATED: 'METHOD_PAGINATED',
  METHOD_WITHOUT_GET: 'METHOD_WITHOUT_GET',
} as const;

export type MethodBehavior =
  | 'METHOD_BEHAVIOR_UNSPECIFIED'
  | 0
  | 'METHOD_UPDATER'
  | 2
  | 'METHOD_PAGINATED'
  | 3
  | 'METHOD_WITHOUT_GET'
  | 4

export type MethodBehavior__Output = typeof MethodBehavior[keyof typeof MethodBehavior]
