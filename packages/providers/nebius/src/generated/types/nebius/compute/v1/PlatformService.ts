// Original file: src/generated/proto/nebius/compute/v1/platform_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetByNameRequest as _nebius_common_v1_GetByNameRequest, GetByNameRequest__Output as _nebius_common_v1_GetByNameRequest__Output } from '../../../nebius/common/v1/GetByNameRequest.js';
import type { ListPlatformsRequest as _nebius_compute_v1_ListPlatformsRequest, ListPlatformsRequest__Output as _nebius_compute_v1_ListPlatformsRequest__Output } from '../../../nebius/compute/v1/ListPlatformsRequest.js';
import type { ListPlatformsResponse as _nebius_compute_v1_ListPlatformsResponse, ListPlatformsResponse__Output as _nebius_compute_v1_ListPlatformsResponse__Output } from '../../../nebius/compute/v1/ListPlatformsResponse.js';
import type { Platform as _nebius_compute_v1_Platform, Platform__Output as _nebius_compute_v1_Platform__Output } from '../../../nebius/compute/v1/Platform.js';

export interface PlatformServiceClient extends grpc.Client {
  GetByName(argument: _nebius_common_v1_GetByNameRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_Platform__Output>): grpc.ClientUnaryCall;
  GetByName(argument: _nebius_common_v1_GetByNameRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_compute_v1_Platform__Output>): grpc.ClientUnaryCall;
  GetByName(argument: _nebius_common_v1_GetByNameRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_Platform__Output>): grpc.ClientUnaryCall;
  GetByName(argument: _nebius_common_v1_GetByNameRequest, callback: grpc.requestCallback<_nebius_compute_v1_Platform__Output>): grpc.ClientUnaryCall;
  getByName(argument: _nebius_common_v1_GetByNameRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_Platform__Output>): grpc.ClientUnaryCall;
  getByName(argument: _nebius_common_v1_GetByNameRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_compute_v1_Platform__Output>): grpc.ClientUnaryCall;
  getByName(argument: _nebius_common_v1_GetByNameRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_Platform__Output>): grpc.ClientUnaryCall;
  getByName(argument: _nebius_common_v1_GetByNameRequest, callback: grpc.requestCallback<_nebius_compute_v1_Platform__Output>): grpc.ClientUnaryCall;
  
  List(argument: _nebius_compute_v1_ListPlatformsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_ListPlatformsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _nebius_compute_v1_ListPlatformsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_compute_v1_ListPlatformsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _nebius_compute_v1_ListPlatformsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_ListPlatformsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _nebius_compute_v1_ListPlatformsRequest, callback: grpc.requestCallback<_nebius_compute_v1_ListPlatformsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _nebius_compute_v1_ListPlatformsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_ListPlatformsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _nebius_compute_v1_ListPlatformsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_compute_v1_ListPlatformsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _nebius_compute_v1_ListPlatformsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_compute_v1_ListPlatformsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _nebius_compute_v1_ListPlatformsRequest, callback: grpc.requestCallback<_nebius_compute_v1_ListPlatformsResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface PlatformServiceHandlers extends grpc.UntypedServiceImplementation {
  GetByName: grpc.handleUnaryCall<_nebius_common_v1_GetByNameRequest__Output, _nebius_compute_v1_Platform>;
  
  List: grpc.handleUnaryCall<_nebius_compute_v1_ListPlatformsRequest__Output, _nebius_compute_v1_ListPlatformsResponse>;
  
}

export interface PlatformServiceDefinition extends grpc.ServiceDefinition {
  GetByName: MethodDefinition<_nebius_common_v1_GetByNameRequest, _nebius_compute_v1_Platform, _nebius_common_v1_GetByNameRequest__Output, _nebius_compute_v1_Platform__Output>
  List: MethodDefinition<_nebius_compute_v1_ListPlatformsRequest, _nebius_compute_v1_ListPlatformsResponse, _nebius_compute_v1_ListPlatformsRequest__Output, _nebius_compute_v1_ListPlatformsResponse__Output>
}
