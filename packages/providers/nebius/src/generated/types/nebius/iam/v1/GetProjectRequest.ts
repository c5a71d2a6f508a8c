// Original file: src/generated/proto/nebius/iam/v1/project_service.proto


export interface GetProjectRequest {
  'id'?: (string);
}

export interface GetProjectRequest__Output {
  'id': (string);
}
