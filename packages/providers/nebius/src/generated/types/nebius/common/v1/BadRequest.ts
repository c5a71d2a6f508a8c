// Original file: src/generated/proto/nebius/common/v1/error.proto


export interface _nebius_common_v1_BadRequest_Violation {
  'field'?: (string);
  'message'?: (string);
  'relatedFields'?: (string)[];
}

export interface _nebius_common_v1_BadRequest_Violation__Output {
  'field': (string);
  'message': (string);
  'relatedFields': (string)[];
}

export interface BadRequest {
  'violations'?: (_nebius_common_v1_BadRequest_Violation)[];
}

export interface BadRequest__Output {
  'violations': (_nebius_common_v1_BadRequest_Violation__Output)[];
}
