// Original file: src/generated/proto/nebius/common/v1/error.proto


export interface InternalError {
  'requestId'?: (string);
  'traceId'?: (string);
}

export interface InternalError__Output {
  'requestId': (string);
  'traceId': (string);
}
