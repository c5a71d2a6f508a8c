// Original file: src/generated/proto/nebius/common/v1/error.proto


export interface OutOfRange {
  'requested'?: (string);
  'limit'?: (string);
}

export interface OutOfRange__Output {
  'requested': (string);
  'limit': (string);
}
