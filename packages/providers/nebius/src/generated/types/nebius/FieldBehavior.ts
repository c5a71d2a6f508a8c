// Original file: src/generated/proto/nebius/annotations.proto

export const FieldBehavior = {
  FIELD_BEHAVIOR_UNSPECIFIED: 'FIELD_BEHAVIOR_UNSPECIFIED',
  IMMUTABLE: 'IMMUTABLE',
  IDENTIFIER: 'IDENTIFIER',
  INPUT_ONLY: 'INPUT_ONLY',
  OUTPUT_ONLY: 'OUTPUT_ONLY',
  MEANINGFUL_EMPTY_VALUE: 'MEANINGFUL_EMPTY_VALUE',
  NON_EMPTY_DEFAULT: 'NON_EMPTY_DEFAULT',
  PUBLIC_OUTPUT_ONLY: 'PUBLIC_OUTPUT_ONLY',
} as const;

export type FieldBehavior =
  | 'FIELD_BEHAVIOR_UNSPECIFIED'
  | 0
  | 'IMMUTABLE'
  | 2
  | 'IDENTIFIER'
  | 3
  | 'INPUT_ONLY'
  | 4
  | 'OUTPUT_ONLY'
  | 5
  | 'MEANINGFUL_EMPTY_VALUE'
  | 6
  | 'NON_EMPTY_DEFAULT'
  | 7
  | 'PUBLIC_OUTPUT_ONLY'
  | 8

export type FieldBehavior__Output = typeof FieldBehavior[keyof typeof FieldBehavior]
