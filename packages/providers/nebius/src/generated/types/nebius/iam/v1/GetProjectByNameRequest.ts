// Original file: src/generated/proto/nebius/iam/v1/project_service.proto


export interface GetProjectByNameRequest {
  'parentId'?: (string);
  'name'?: (string);
}

export interface GetProjectByNameRequest__Output {
  'parentId': (string);
  'name': (string);
}
