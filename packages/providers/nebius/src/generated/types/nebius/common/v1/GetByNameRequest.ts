// Original file: src/generated/proto/nebius/common/v1/metadata.proto


export interface GetByNameRequest {
  'parentId'?: (string);
  'name'?: (string);
}

export interface GetByNameRequest__Output {
  'parentId': (string);
  'name': (string);
}
