// Original file: src/generated/proto/nebius/common/v1/error.proto


export interface _nebius_common_v1_NotEnoughResources_Violation {
  'resourceType'?: (string);
  'message'?: (string);
  'requested'?: (string);
}

export interface _nebius_common_v1_NotEnoughResources_Violation__Output {
  'resourceType': (string);
  'message': (string);
  'requested': (string);
}

export interface NotEnoughResources {
  'violations'?: (_nebius_common_v1_NotEnoughResources_Violation)[];
}

export interface NotEnoughResources__Output {
  'violations': (_nebius_common_v1_NotEnoughResources_Violation__Output)[];
}
