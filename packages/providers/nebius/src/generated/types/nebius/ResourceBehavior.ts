// Original file: src/generated/proto/nebius/annotations.proto

export const ResourceBehavior = {
  RESOURCE_BEHAVIOR_UNSPECIFIED: 'RESOURCE_BEHAVIOR_UNSPECIFIED',
  MOVABLE: 'MOVABLE',
  UNNAMED: 'UNNAMED',
  IMMUTABLE_NAME: 'IMMUTABLE_NAME',
} as const;

export type ResourceBehavior =
  | 'RESOURCE_BEHAVIOR_UNSPECIFIED'
  | 0
  | 'MOVABLE'
  | 1
  | 'UNNAMED'
  | 2
  | 'IMMUTABLE_NAME'
  | 3

export type ResourceBehavior__Output = typeof ResourceBehavior[keyof typeof ResourceBehavior]
