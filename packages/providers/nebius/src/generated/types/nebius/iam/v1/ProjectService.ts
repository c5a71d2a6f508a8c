// Original file: src/generated/proto/nebius/iam/v1/project_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { Container as _nebius_iam_v1_Container, Container__Output as _nebius_iam_v1_Container__Output } from '../../../nebius/iam/v1/Container.js';
import type { CreateProjectRequest as _nebius_iam_v1_CreateProjectRequest, CreateProjectRequest__Output as _nebius_iam_v1_CreateProjectRequest__Output } from '../../../nebius/iam/v1/CreateProjectRequest.js';
import type { GetProjectByNameRequest as _nebius_iam_v1_GetProjectByNameRequest, GetProjectByNameRequest__Output as _nebius_iam_v1_GetProjectByNameRequest__Output } from '../../../nebius/iam/v1/GetProjectByNameRequest.js';
import type { GetProjectRequest as _nebius_iam_v1_GetProjectRequest, GetProjectRequest__Output as _nebius_iam_v1_GetProjectRequest__Output } from '../../../nebius/iam/v1/GetProjectRequest.js';
import type { ListProjectsRequest as _nebius_iam_v1_ListProjectsRequest, ListProjectsRequest__Output as _nebius_iam_v1_ListProjectsRequest__Output } from '../../../nebius/iam/v1/ListProjectsRequest.js';
import type { ListProjectsResponse as _nebius_iam_v1_ListProjectsResponse, ListProjectsResponse__Output as _nebius_iam_v1_ListProjectsResponse__Output } from '../../../nebius/iam/v1/ListProjectsResponse.js';
import type { Operation as _nebius_common_v1_Operation, Operation__Output as _nebius_common_v1_Operation__Output } from '../../../nebius/common/v1/Operation.js';
import type { UpdateProjectRequest as _nebius_iam_v1_UpdateProjectRequest, UpdateProjectRequest__Output as _nebius_iam_v1_UpdateProjectRequest__Output } from '../../../nebius/iam/v1/UpdateProjectRequest.js';

export interface ProjectServiceClient extends grpc.Client {
  Create(argument: _nebius_iam_v1_CreateProjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Create(argument: _nebius_iam_v1_CreateProjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Create(argument: _nebius_iam_v1_CreateProjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Create(argument: _nebius_iam_v1_CreateProjectRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  create(argument: _nebius_iam_v1_CreateProjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  create(argument: _nebius_iam_v1_CreateProjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  create(argument: _nebius_iam_v1_CreateProjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  create(argument: _nebius_iam_v1_CreateProjectRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  
  Get(argument: _nebius_iam_v1_GetProjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_iam_v1_Container__Output>): grpc.ClientUnaryCall;
  Get(argument: _nebius_iam_v1_GetProjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_iam_v1_Container__Output>): grpc.ClientUnaryCall;
  Get(argument: _nebius_iam_v1_GetProjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_iam_v1_Container__Output>): grpc.ClientUnaryCall;
  Get(argument: _nebius_iam_v1_GetProjectRequest, callback: grpc.requestCallback<_nebius_iam_v1_Container__Output>): grpc.ClientUnaryCall;
  get(argument: _nebius_iam_v1_GetProjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_iam_v1_Container__Output>): grpc.ClientUnaryCall;
  get(argument: _nebius_iam_v1_GetProjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_iam_v1_Container__Output>): grpc.ClientUnaryCall;
  get(argument: _nebius_iam_v1_GetProjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_iam_v1_Container__Output>): grpc.ClientUnaryCall;
  get(argument: _nebius_iam_v1_GetProjectRequest, callback: grpc.requestCallback<_nebius_iam_v1_Container__Output>): grpc.ClientUnaryCall;
  
  GetByName(argument: _nebius_iam_v1_GetProjectByNameRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_iam_v1_Container__Output>): grpc.ClientUnaryCall;
  GetByName(argument: _nebius_iam_v1_GetProjectByNameRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_iam_v1_Container__Output>): grpc.ClientUnaryCall;
  GetByName(argument: _nebius_iam_v1_GetProjectByNameRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_iam_v1_Container__Output>): grpc.ClientUnaryCall;
  GetByName(argument: _nebius_iam_v1_GetProjectByNameRequest, callback: grpc.requestCallback<_nebius_iam_v1_Container__Output>): grpc.ClientUnaryCall;
  getByName(argument: _nebius_iam_v1_GetProjectByNameRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_iam_v1_Container__Output>): grpc.ClientUnaryCall;
  getByName(argument: _nebius_iam_v1_GetProjectByNameRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_iam_v1_Container__Output>): grpc.ClientUnaryCall;
  getByName(argument: _nebius_iam_v1_GetProjectByNameRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_iam_v1_Container__Output>): grpc.ClientUnaryCall;
  getByName(argument: _nebius_iam_v1_GetProjectByNameRequest, callback: grpc.requestCallback<_nebius_iam_v1_Container__Output>): grpc.ClientUnaryCall;
  
  List(argument: _nebius_iam_v1_ListProjectsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_iam_v1_ListProjectsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _nebius_iam_v1_ListProjectsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_iam_v1_ListProjectsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _nebius_iam_v1_ListProjectsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_iam_v1_ListProjectsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _nebius_iam_v1_ListProjectsRequest, callback: grpc.requestCallback<_nebius_iam_v1_ListProjectsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _nebius_iam_v1_ListProjectsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_iam_v1_ListProjectsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _nebius_iam_v1_ListProjectsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_iam_v1_ListProjectsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _nebius_iam_v1_ListProjectsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_iam_v1_ListProjectsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _nebius_iam_v1_ListProjectsRequest, callback: grpc.requestCallback<_nebius_iam_v1_ListProjectsResponse__Output>): grpc.ClientUnaryCall;
  
  Update(argument: _nebius_iam_v1_UpdateProjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Update(argument: _nebius_iam_v1_UpdateProjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Update(argument: _nebius_iam_v1_UpdateProjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Update(argument: _nebius_iam_v1_UpdateProjectRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  update(argument: _nebius_iam_v1_UpdateProjectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  update(argument: _nebius_iam_v1_UpdateProjectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  update(argument: _nebius_iam_v1_UpdateProjectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  update(argument: _nebius_iam_v1_UpdateProjectRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  
}

export interface ProjectServiceHandlers extends grpc.UntypedServiceImplementation {
  Create: grpc.handleUnaryCall<_nebius_iam_v1_CreateProjectRequest__Output, _nebius_common_v1_Operation>;
  
  Get: grpc.handleUnaryCall<_nebius_iam_v1_GetProjectRequest__Output, _nebius_iam_v1_Container>;
  
  GetByName: grpc.handleUnaryCall<_nebius_iam_v1_GetProjectByNameRequest__Output, _nebius_iam_v1_Container>;
  
  List: grpc.handleUnaryCall<_nebius_iam_v1_ListProjectsRequest__Output, _nebius_iam_v1_ListProjectsResponse>;
  
  Update: grpc.handleUnaryCall<_nebius_iam_v1_UpdateProjectRequest__Output, _nebius_common_v1_Operation>;
  
}

export interface ProjectServiceDefinition extends grpc.ServiceDefinition {
  Create: MethodDefinition<_nebius_iam_v1_CreateProjectRequest, _nebius_common_v1_Operation, _nebius_iam_v1_CreateProjectRequest__Output, _nebius_common_v1_Operation__Output>
  Get: MethodDefinition<_nebius_iam_v1_GetProjectRequest, _nebius_iam_v1_Container, _nebius_iam_v1_GetProjectRequest__Output, _nebius_iam_v1_Container__Output>
  GetByName: MethodDefinition<_nebius_iam_v1_GetProjectByNameRequest, _nebius_iam_v1_Container, _nebius_iam_v1_GetProjectByNameRequest__Output, _nebius_iam_v1_Container__Output>
  List: MethodDefinition<_nebius_iam_v1_ListProjectsRequest, _nebius_iam_v1_ListProjectsResponse, _nebius_iam_v1_ListProjectsRequest__Output, _nebius_iam_v1_ListProjectsResponse__Output>
  Update: MethodDefinition<_nebius_iam_v1_UpdateProjectRequest, _nebius_common_v1_Operation, _nebius_iam_v1_UpdateProjectRequest__Output, _nebius_common_v1_Operation__Output>
}
