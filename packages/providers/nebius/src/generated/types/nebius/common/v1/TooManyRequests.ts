// Original file: src/generated/proto/nebius/common/v1/error.proto


export interface TooManyRequests {
  'violation'?: (string);
}

export interface TooManyRequests__Output {
  'violation': (string);
}
