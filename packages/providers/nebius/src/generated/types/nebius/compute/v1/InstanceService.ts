// Original file: src/generated/proto/nebius/compute/v1/instance_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { BatchGetRequest as _nebius_compute_v1_BatchGetRequest, BatchGetRequest__Output as _nebius_compute_v1_BatchGetRequest__Output } from '../../../nebius/compute/v1/BatchGetRequest.js';
import type { BatchGetResponse as _nebius_compute_v1_BatchGetResponse, BatchGetResponse__Output as _nebius_compute_v1_BatchGetResponse__Output } from '../../../nebius/compute/v1/BatchGetResponse.js';
import type { CreateInstanceRequest as _nebius_compute_v1_CreateInstanceRequest, CreateInstanceRequest__Output as _nebius_compute_v1_CreateInstanceRequest__Output } from '../../../nebius/compute/v1/CreateInstanceRequest.js';
import type { DeleteInstanceRequest as _nebius_compute_v1_DeleteInstanceRequest, DeleteInstanceRequest__Output as _nebius_compute_v1_DeleteInstanceRequest__Output } from '../../../nebius/compute/v1/DeleteInstanceRequest.js';
import type { GetByNameRequest as _nebius_common_v1_GetByNameRequest, GetByNameRequest__Output as _nebius_common_v1_GetByNameRequest__Output } from '../../../nebius/common/v1/GetByNameRequest.js';
import type { GetInstanceRequest as _nebius_compute_v1_GetInstanceRequest, GetInstanceRequest__Output as _nebius_compute_v1_GetInstanceRequest__Output } from '../../../nebius/compute/v1/GetInstanceRequest.js';
import type { Instance as _nebius_compute_v1_Instance, Instance__Output as _nebius_compute_v1_Instance__Output } from '../../../nebius/compute/v1/Instance.js';
import type { ListInstancesByNVLInstanceGroupRequest as _nebius_compute_v1_ListInstancesByNVLInstanceGroupRequest, ListInstancesByNVLInstanceGroupRequest__Output as _nebius_compute_v1_ListInstancesByNVLInstanceGroupRequest__Output } from '../../../nebius/compute/v1/ListInstancesByNVLInstanceGroupRequest.js';
import type { ListInstancesRequest as _nebius_compute_v1_ListInstancesRequest, ListInstancesRequest__Output as _nebius_compute_v1_ListInstancesRequest__Output } from '../../../nebius/compute/v1/ListInstancesRequest.js';
import type { ListInstancesResponse as _nebius_compute_v1_ListInstancesResponse, ListInstancesResponse__Output as _nebius_compute_v1_ListInstancesResponse__Output } from '../../../nebius/compute/v1/ListInstancesResponse.js';
import type { ListOperationsByParentRequest as _nebius_compute_v1_ListOperationsByParentRequest, ListOperationsByParentRequest__Output as _nebius_compute_v1_ListOperationsByParentRequest__Output } from '../../../nebius/compute/v1/ListOperationsByParentRequest.js';
import type { ListOperationsResponse as _nebius_common_v1_ListOperationsResponse, ListOperationsResponse__Output as _nebius_common_v1_ListOperationsResponse__Output } from '../../../nebius/common/v1/ListOperationsResponse.js';
import type { Operation as _nebius_common_v1_Operation, Operation__Output as _nebius_common_v1_Operation__Output } from '../../../nebius/common/v1/Operation.js';
import type { StartInstanceRequest as _nebius_compute_v1_StartInstanceRequest, StartInstanceRequest__Output as _nebius_compute_v1_StartInstanceRequest__Output } from '../../../nebius/compute/v1/StartInstanceRequest.js';
import type { StopInstanceRequest as _nebius_compute_v1_StopInstanceRequest, StopInstanceRequest__Output as _nebius_compute_v1_StopInstanceRequest__Output } from '../../../nebius/compute/v1/StopInstanceRequest.js';
import type { UpdateInstanceRequest as _nebius_compute_v1_UpdateInstanceRequest, UpdateInstanceRequest__Output as _nebius_compute_v1_UpdateInstanceRequest__Output } from '../../../nebius/compute/v1/UpdateInstanceRequest.js';

export interface InstanceServiceClient extends grpc.Client {
  BatchGet(argument: _nebius_compute_v1_BatchGetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_BatchGetResponse__Output>): grpc.ClientUnaryCall;
  BatchGet(argument: _nebius_compute_v1_BatchGetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_compute_v1_BatchGetResponse__Output>): grpc.ClientUnaryCall;
  BatchGet(argument: _nebius_compute_v1_BatchGetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_BatchGetResponse__Output>): grpc.ClientUnaryCall;
  BatchGet(argument: _nebius_compute_v1_BatchGetRequest, callback: grpc.requestCallback<_nebius_compute_v1_BatchGetResponse__Output>): grpc.ClientUnaryCall;
  batchGet(argument: _nebius_compute_v1_BatchGetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_BatchGetResponse__Output>): grpc.ClientUnaryCall;
  batchGet(argument: _nebius_compute_v1_BatchGetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_compute_v1_BatchGetResponse__Output>): grpc.ClientUnaryCall;
  batchGet(argument: _nebius_compute_v1_BatchGetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_BatchGetResponse__Output>): grpc.ClientUnaryCall;
  batchGet(argument: _nebius_compute_v1_BatchGetRequest, callback: grpc.requestCallback<_nebius_compute_v1_BatchGetResponse__Output>): grpc.ClientUnaryCall;
  
  Create(argument: _nebius_compute_v1_CreateInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Create(argument: _nebius_compute_v1_CreateInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Create(argument: _nebius_compute_v1_CreateInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Create(argument: _nebius_compute_v1_CreateInstanceRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  create(argument: _nebius_compute_v1_CreateInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  create(argument: _nebius_compute_v1_CreateInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  create(argument: _nebius_compute_v1_CreateInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  create(argument: _nebius_compute_v1_CreateInstanceRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  
  Delete(argument: _nebius_compute_v1_DeleteInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Delete(argument: _nebius_compute_v1_DeleteInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Delete(argument: _nebius_compute_v1_DeleteInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Delete(argument: _nebius_compute_v1_DeleteInstanceRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  delete(argument: _nebius_compute_v1_DeleteInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  delete(argument: _nebius_compute_v1_DeleteInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  delete(argument: _nebius_compute_v1_DeleteInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  delete(argument: _nebius_compute_v1_DeleteInstanceRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  
  Get(argument: _nebius_compute_v1_GetInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_Instance__Output>): grpc.ClientUnaryCall;
  Get(argument: _nebius_compute_v1_GetInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_compute_v1_Instance__Output>): grpc.ClientUnaryCall;
  Get(argument: _nebius_compute_v1_GetInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_Instance__Output>): grpc.ClientUnaryCall;
  Get(argument: _nebius_compute_v1_GetInstanceRequest, callback: grpc.requestCallback<_nebius_compute_v1_Instance__Output>): grpc.ClientUnaryCall;
  get(argument: _nebius_compute_v1_GetInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_Instance__Output>): grpc.ClientUnaryCall;
  get(argument: _nebius_compute_v1_GetInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_compute_v1_Instance__Output>): grpc.ClientUnaryCall;
  get(argument: _nebius_compute_v1_GetInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_Instance__Output>): grpc.ClientUnaryCall;
  get(argument: _nebius_compute_v1_GetInstanceRequest, callback: grpc.requestCallback<_nebius_compute_v1_Instance__Output>): grpc.ClientUnaryCall;
  
  GetByName(argument: _nebius_common_v1_GetByNameRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_Instance__Output>): grpc.ClientUnaryCall;
  GetByName(argument: _nebius_common_v1_GetByNameRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_compute_v1_Instance__Output>): grpc.ClientUnaryCall;
  GetByName(argument: _nebius_common_v1_GetByNameRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_Instance__Output>): grpc.ClientUnaryCall;
  GetByName(argument: _nebius_common_v1_GetByNameRequest, callback: grpc.requestCallback<_nebius_compute_v1_Instance__Output>): grpc.ClientUnaryCall;
  getByName(argument: _nebius_common_v1_GetByNameRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_Instance__Output>): grpc.ClientUnaryCall;
  getByName(argument: _nebius_common_v1_GetByNameRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_compute_v1_Instance__Output>): grpc.ClientUnaryCall;
  getByName(argument: _nebius_common_v1_GetByNameRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_Instance__Output>): grpc.ClientUnaryCall;
  getByName(argument: _nebius_common_v1_GetByNameRequest, callback: grpc.requestCallback<_nebius_compute_v1_Instance__Output>): grpc.ClientUnaryCall;
  
  List(argument: _nebius_compute_v1_ListInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _nebius_compute_v1_ListInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_compute_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _nebius_compute_v1_ListInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _nebius_compute_v1_ListInstancesRequest, callback: grpc.requestCallback<_nebius_compute_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _nebius_compute_v1_ListInstancesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _nebius_compute_v1_ListInstancesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_compute_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _nebius_compute_v1_ListInstancesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _nebius_compute_v1_ListInstancesRequest, callback: grpc.requestCallback<_nebius_compute_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  
  ListInstancesByNVLInstanceGroup(argument: _nebius_compute_v1_ListInstancesByNVLInstanceGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListInstancesByNVLInstanceGroup(argument: _nebius_compute_v1_ListInstancesByNVLInstanceGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_compute_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListInstancesByNVLInstanceGroup(argument: _nebius_compute_v1_ListInstancesByNVLInstanceGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  ListInstancesByNVLInstanceGroup(argument: _nebius_compute_v1_ListInstancesByNVLInstanceGroupRequest, callback: grpc.requestCallback<_nebius_compute_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  listInstancesByNvlInstanceGroup(argument: _nebius_compute_v1_ListInstancesByNVLInstanceGroupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  listInstancesByNvlInstanceGroup(argument: _nebius_compute_v1_ListInstancesByNVLInstanceGroupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_compute_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  listInstancesByNvlInstanceGroup(argument: _nebius_compute_v1_ListInstancesByNVLInstanceGroupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  listInstancesByNvlInstanceGroup(argument: _nebius_compute_v1_ListInstancesByNVLInstanceGroupRequest, callback: grpc.requestCallback<_nebius_compute_v1_ListInstancesResponse__Output>): grpc.ClientUnaryCall;
  
  ListOperationsByParent(argument: _nebius_compute_v1_ListOperationsByParentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  ListOperationsByParent(argument: _nebius_compute_v1_ListOperationsByParentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  ListOperationsByParent(argument: _nebius_compute_v1_ListOperationsByParentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  ListOperationsByParent(argument: _nebius_compute_v1_ListOperationsByParentRequest, callback: grpc.requestCallback<_nebius_common_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  listOperationsByParent(argument: _nebius_compute_v1_ListOperationsByParentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  listOperationsByParent(argument: _nebius_compute_v1_ListOperationsByParentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  listOperationsByParent(argument: _nebius_compute_v1_ListOperationsByParentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  listOperationsByParent(argument: _nebius_compute_v1_ListOperationsByParentRequest, callback: grpc.requestCallback<_nebius_common_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  
  Start(argument: _nebius_compute_v1_StartInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Start(argument: _nebius_compute_v1_StartInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Start(argument: _nebius_compute_v1_StartInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Start(argument: _nebius_compute_v1_StartInstanceRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  start(argument: _nebius_compute_v1_StartInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  start(argument: _nebius_compute_v1_StartInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  start(argument: _nebius_compute_v1_StartInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  start(argument: _nebius_compute_v1_StartInstanceRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  
  Stop(argument: _nebius_compute_v1_StopInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Stop(argument: _nebius_compute_v1_StopInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Stop(argument: _nebius_compute_v1_StopInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Stop(argument: _nebius_compute_v1_StopInstanceRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  stop(argument: _nebius_compute_v1_StopInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  stop(argument: _nebius_compute_v1_StopInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  stop(argument: _nebius_compute_v1_StopInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  stop(argument: _nebius_compute_v1_StopInstanceRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  
  Update(argument: _nebius_compute_v1_UpdateInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Update(argument: _nebius_compute_v1_UpdateInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Update(argument: _nebius_compute_v1_UpdateInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Update(argument: _nebius_compute_v1_UpdateInstanceRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  update(argument: _nebius_compute_v1_UpdateInstanceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  update(argument: _nebius_compute_v1_UpdateInstanceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  update(argument: _nebius_compute_v1_UpdateInstanceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  update(argument: _nebius_compute_v1_UpdateInstanceRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  
}

export interface InstanceServiceHandlers extends grpc.UntypedServiceImplementation {
  BatchGet: grpc.handleUnaryCall<_nebius_compute_v1_BatchGetRequest__Output, _nebius_compute_v1_BatchGetResponse>;
  
  Create: grpc.handleUnaryCall<_nebius_compute_v1_CreateInstanceRequest__Output, _nebius_common_v1_Operation>;
  
  Delete: grpc.handleUnaryCall<_nebius_compute_v1_DeleteInstanceRequest__Output, _nebius_common_v1_Operation>;
  
  Get: grpc.handleUnaryCall<_nebius_compute_v1_GetInstanceRequest__Output, _nebius_compute_v1_Instance>;
  
  GetByName: grpc.handleUnaryCall<_nebius_common_v1_GetByNameRequest__Output, _nebius_compute_v1_Instance>;
  
  List: grpc.handleUnaryCall<_nebius_compute_v1_ListInstancesRequest__Output, _nebius_compute_v1_ListInstancesResponse>;
  
  ListInstancesByNVLInstanceGroup: grpc.handleUnaryCall<_nebius_compute_v1_ListInstancesByNVLInstanceGroupRequest__Output, _nebius_compute_v1_ListInstancesResponse>;
  
  ListOperationsByParent: grpc.handleUnaryCall<_nebius_compute_v1_ListOperationsByParentRequest__Output, _nebius_common_v1_ListOperationsResponse>;
  
  Start: grpc.handleUnaryCall<_nebius_compute_v1_StartInstanceRequest__Output, _nebius_common_v1_Operation>;
  
  Stop: grpc.handleUnaryCall<_nebius_compute_v1_StopInstanceRequest__Output, _nebius_common_v1_Operation>;
  
  Update: grpc.handleUnaryCall<_nebius_compute_v1_UpdateInstanceRequest__Output, _nebius_common_v1_Operation>;
  
}

export interface InstanceServiceDefinition extends grpc.ServiceDefinition {
  BatchGet: MethodDefinition<_nebius_compute_v1_BatchGetRequest, _nebius_compute_v1_BatchGetResponse, _nebius_compute_v1_BatchGetRequest__Output, _nebius_compute_v1_BatchGetResponse__Output>
  Create: MethodDefinition<_nebius_compute_v1_CreateInstanceRequest, _nebius_common_v1_Operation, _nebius_compute_v1_CreateInstanceRequest__Output, _nebius_common_v1_Operation__Output>
  Delete: MethodDefinition<_nebius_compute_v1_DeleteInstanceRequest, _nebius_common_v1_Operation, _nebius_compute_v1_DeleteInstanceRequest__Output, _nebius_common_v1_Operation__Output>
  Get: MethodDefinition<_nebius_compute_v1_GetInstanceRequest, _nebius_compute_v1_Instance, _nebius_compute_v1_GetInstanceRequest__Output, _nebius_compute_v1_Instance__Output>
  GetByName: MethodDefinition<_nebius_common_v1_GetByNameRequest, _nebius_compute_v1_Instance, _nebius_common_v1_GetByNameRequest__Output, _nebius_compute_v1_Instance__Output>
  List: MethodDefinition<_nebius_compute_v1_ListInstancesRequest, _nebius_compute_v1_ListInstancesResponse, _nebius_compute_v1_ListInstancesRequest__Output, _nebius_compute_v1_ListInstancesResponse__Output>
  ListInstancesByNVLInstanceGroup: MethodDefinition<_nebius_compute_v1_ListInstancesByNVLInstanceGroupRequest, _nebius_compute_v1_ListInstancesResponse, _nebius_compute_v1_ListInstancesByNVLInstanceGroupRequest__Output, _nebius_compute_v1_ListInstancesResponse__Output>
  ListOperationsByParent: MethodDefinition<_nebius_compute_v1_ListOperationsByParentRequest, _nebius_common_v1_ListOperationsResponse, _nebius_compute_v1_ListOperationsByParentRequest__Output, _nebius_common_v1_ListOperationsResponse__Output>
  Start: MethodDefinition<_nebius_compute_v1_StartInstanceRequest, _nebius_common_v1_Operation, _nebius_compute_v1_StartInstanceRequest__Output, _nebius_common_v1_Operation__Output>
  Stop: MethodDefinition<_nebius_compute_v1_StopInstanceRequest, _nebius_common_v1_Operation, _nebius_compute_v1_StopInstanceRequest__Output, _nebius_common_v1_Operation__Output>
  Update: MethodDefinition<_nebius_compute_v1_UpdateInstanceRequest, _nebius_common_v1_Operation, _nebius_compute_v1_UpdateInstanceRequest__Output, _nebius_common_v1_Operation__Output>
}
