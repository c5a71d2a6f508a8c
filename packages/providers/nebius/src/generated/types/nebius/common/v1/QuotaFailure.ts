// Original file: src/generated/proto/nebius/common/v1/error.proto


export interface _nebius_common_v1_QuotaFailure_Violation {
  'quota'?: (string);
  'message'?: (string);
  'limit'?: (string);
  'requested'?: (string);
}

export interface _nebius_common_v1_QuotaFailure_Violation__Output {
  'quota': (string);
  'message': (string);
  'limit': (string);
  'requested': (string);
}

export interface QuotaFailure {
  'violations'?: (_nebius_common_v1_QuotaFailure_Violation)[];
}

export interface QuotaFailure__Output {
  'violations': (_nebius_common_v1_QuotaFailure_Violation__Output)[];
}
