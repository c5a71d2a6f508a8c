// Original file: src/generated/proto/nebius/common/v1/operation_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetOperationRequest as _nebius_common_v1_GetOperationRequest, GetOperationRequest__Output as _nebius_common_v1_GetOperationRequest__Output } from '../../../nebius/common/v1/GetOperationRequest.js';
import type { ListOperationsRequest as _nebius_common_v1_ListOperationsRequest, ListOperationsRequest__Output as _nebius_common_v1_ListOperationsRequest__Output } from '../../../nebius/common/v1/ListOperationsRequest.js';
import type { ListOperationsResponse as _nebius_common_v1_ListOperationsResponse, ListOperationsResponse__Output as _nebius_common_v1_ListOperationsResponse__Output } from '../../../nebius/common/v1/ListOperationsResponse.js';
import type { Operation as _nebius_common_v1_Operation, Operation__Output as _nebius_common_v1_Operation__Output } from '../../../nebius/common/v1/Operation.js';

export interface OperationServiceClient extends grpc.Client {
  Get(argument: _nebius_common_v1_GetOperationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Get(argument: _nebius_common_v1_GetOperationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Get(argument: _nebius_common_v1_GetOperationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Get(argument: _nebius_common_v1_GetOperationRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  get(argument: _nebius_common_v1_GetOperationRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  get(argument: _nebius_common_v1_GetOperationRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  get(argument: _nebius_common_v1_GetOperationRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  get(argument: _nebius_common_v1_GetOperationRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  
  List(argument: _nebius_common_v1_ListOperationsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _nebius_common_v1_ListOperationsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _nebius_common_v1_ListOperationsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _nebius_common_v1_ListOperationsRequest, callback: grpc.requestCallback<_nebius_common_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _nebius_common_v1_ListOperationsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _nebius_common_v1_ListOperationsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _nebius_common_v1_ListOperationsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _nebius_common_v1_ListOperationsRequest, callback: grpc.requestCallback<_nebius_common_v1_ListOperationsResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface OperationServiceHandlers extends grpc.UntypedServiceImplementation {
  Get: grpc.handleUnaryCall<_nebius_common_v1_GetOperationRequest__Output, _nebius_common_v1_Operation>;
  
  List: grpc.handleUnaryCall<_nebius_common_v1_ListOperationsRequest__Output, _nebius_common_v1_ListOperationsResponse>;
  
}

export interface OperationServiceDefinition extends grpc.ServiceDefinition {
  Get: MethodDefinition<_nebius_common_v1_GetOperationRequest, _nebius_common_v1_Operation, _nebius_common_v1_GetOperationRequest__Output, _nebius_common_v1_Operation__Output>
  List: MethodDefinition<_nebius_common_v1_ListOperationsRequest, _nebius_common_v1_ListOperationsResponse, _nebius_common_v1_ListOperationsRequest__Output, _nebius_common_v1_ListOperationsResponse__Output>
}
