// Original file: src/generated/proto/nebius/vpc/v1/subnet_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateSubnetRequest as _nebius_vpc_v1_CreateSubnetRequest, CreateSubnetRequest__Output as _nebius_vpc_v1_CreateSubnetRequest__Output } from '../../../nebius/vpc/v1/CreateSubnetRequest.js';
import type { DeleteSubnetRequest as _nebius_vpc_v1_DeleteSubnetRequest, DeleteSubnetRequest__Output as _nebius_vpc_v1_DeleteSubnetRequest__Output } from '../../../nebius/vpc/v1/DeleteSubnetRequest.js';
import type { GetSubnetByNameRequest as _nebius_vpc_v1_GetSubnetByNameRequest, GetSubnetByNameRequest__Output as _nebius_vpc_v1_GetSubnetByNameRequest__Output } from '../../../nebius/vpc/v1/GetSubnetByNameRequest.js';
import type { GetSubnetRequest as _nebius_vpc_v1_GetSubnetRequest, GetSubnetRequest__Output as _nebius_vpc_v1_GetSubnetRequest__Output } from '../../../nebius/vpc/v1/GetSubnetRequest.js';
import type { ListSubnetsByNetworkRequest as _nebius_vpc_v1_ListSubnetsByNetworkRequest, ListSubnetsByNetworkRequest__Output as _nebius_vpc_v1_ListSubnetsByNetworkRequest__Output } from '../../../nebius/vpc/v1/ListSubnetsByNetworkRequest.js';
import type { ListSubnetsRequest as _nebius_vpc_v1_ListSubnetsRequest, ListSubnetsRequest__Output as _nebius_vpc_v1_ListSubnetsRequest__Output } from '../../../nebius/vpc/v1/ListSubnetsRequest.js';
import type { ListSubnetsResponse as _nebius_vpc_v1_ListSubnetsResponse, ListSubnetsResponse__Output as _nebius_vpc_v1_ListSubnetsResponse__Output } from '../../../nebius/vpc/v1/ListSubnetsResponse.js';
import type { Operation as _nebius_common_v1_Operation, Operation__Output as _nebius_common_v1_Operation__Output } from '../../../nebius/common/v1/Operation.js';
import type { Subnet as _nebius_vpc_v1_Subnet, Subnet__Output as _nebius_vpc_v1_Subnet__Output } from '../../../nebius/vpc/v1/Subnet.js';
import type { UpdateSubnetRequest as _nebius_vpc_v1_UpdateSubnetRequest, UpdateSubnetRequest__Output as _nebius_vpc_v1_UpdateSubnetRequest__Output } from '../../../nebius/vpc/v1/UpdateSubnetRequest.js';

export interface SubnetServiceClient extends grpc.Client {
  Create(argument: _nebius_vpc_v1_CreateSubnetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Create(argument: _nebius_vpc_v1_CreateSubnetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Create(argument: _nebius_vpc_v1_CreateSubnetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Create(argument: _nebius_vpc_v1_CreateSubnetRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  create(argument: _nebius_vpc_v1_CreateSubnetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  create(argument: _nebius_vpc_v1_CreateSubnetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  create(argument: _nebius_vpc_v1_CreateSubnetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  create(argument: _nebius_vpc_v1_CreateSubnetRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  
  Delete(argument: _nebius_vpc_v1_DeleteSubnetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Delete(argument: _nebius_vpc_v1_DeleteSubnetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Delete(argument: _nebius_vpc_v1_DeleteSubnetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Delete(argument: _nebius_vpc_v1_DeleteSubnetRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  delete(argument: _nebius_vpc_v1_DeleteSubnetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  delete(argument: _nebius_vpc_v1_DeleteSubnetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  delete(argument: _nebius_vpc_v1_DeleteSubnetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  delete(argument: _nebius_vpc_v1_DeleteSubnetRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  
  Get(argument: _nebius_vpc_v1_GetSubnetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_vpc_v1_Subnet__Output>): grpc.ClientUnaryCall;
  Get(argument: _nebius_vpc_v1_GetSubnetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_vpc_v1_Subnet__Output>): grpc.ClientUnaryCall;
  Get(argument: _nebius_vpc_v1_GetSubnetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_vpc_v1_Subnet__Output>): grpc.ClientUnaryCall;
  Get(argument: _nebius_vpc_v1_GetSubnetRequest, callback: grpc.requestCallback<_nebius_vpc_v1_Subnet__Output>): grpc.ClientUnaryCall;
  get(argument: _nebius_vpc_v1_GetSubnetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_vpc_v1_Subnet__Output>): grpc.ClientUnaryCall;
  get(argument: _nebius_vpc_v1_GetSubnetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_vpc_v1_Subnet__Output>): grpc.ClientUnaryCall;
  get(argument: _nebius_vpc_v1_GetSubnetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_vpc_v1_Subnet__Output>): grpc.ClientUnaryCall;
  get(argument: _nebius_vpc_v1_GetSubnetRequest, callback: grpc.requestCallback<_nebius_vpc_v1_Subnet__Output>): grpc.ClientUnaryCall;
  
  GetByName(argument: _nebius_vpc_v1_GetSubnetByNameRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_vpc_v1_Subnet__Output>): grpc.ClientUnaryCall;
  GetByName(argument: _nebius_vpc_v1_GetSubnetByNameRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_vpc_v1_Subnet__Output>): grpc.ClientUnaryCall;
  GetByName(argument: _nebius_vpc_v1_GetSubnetByNameRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_vpc_v1_Subnet__Output>): grpc.ClientUnaryCall;
  GetByName(argument: _nebius_vpc_v1_GetSubnetByNameRequest, callback: grpc.requestCallback<_nebius_vpc_v1_Subnet__Output>): grpc.ClientUnaryCall;
  getByName(argument: _nebius_vpc_v1_GetSubnetByNameRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_vpc_v1_Subnet__Output>): grpc.ClientUnaryCall;
  getByName(argument: _nebius_vpc_v1_GetSubnetByNameRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_vpc_v1_Subnet__Output>): grpc.ClientUnaryCall;
  getByName(argument: _nebius_vpc_v1_GetSubnetByNameRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_vpc_v1_Subnet__Output>): grpc.ClientUnaryCall;
  getByName(argument: _nebius_vpc_v1_GetSubnetByNameRequest, callback: grpc.requestCallback<_nebius_vpc_v1_Subnet__Output>): grpc.ClientUnaryCall;
  
  List(argument: _nebius_vpc_v1_ListSubnetsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_vpc_v1_ListSubnetsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _nebius_vpc_v1_ListSubnetsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_vpc_v1_ListSubnetsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _nebius_vpc_v1_ListSubnetsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_vpc_v1_ListSubnetsResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _nebius_vpc_v1_ListSubnetsRequest, callback: grpc.requestCallback<_nebius_vpc_v1_ListSubnetsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _nebius_vpc_v1_ListSubnetsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_vpc_v1_ListSubnetsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _nebius_vpc_v1_ListSubnetsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_vpc_v1_ListSubnetsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _nebius_vpc_v1_ListSubnetsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_vpc_v1_ListSubnetsResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _nebius_vpc_v1_ListSubnetsRequest, callback: grpc.requestCallback<_nebius_vpc_v1_ListSubnetsResponse__Output>): grpc.ClientUnaryCall;
  
  ListByNetwork(argument: _nebius_vpc_v1_ListSubnetsByNetworkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_vpc_v1_ListSubnetsResponse__Output>): grpc.ClientUnaryCall;
  ListByNetwork(argument: _nebius_vpc_v1_ListSubnetsByNetworkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_vpc_v1_ListSubnetsResponse__Output>): grpc.ClientUnaryCall;
  ListByNetwork(argument: _nebius_vpc_v1_ListSubnetsByNetworkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_vpc_v1_ListSubnetsResponse__Output>): grpc.ClientUnaryCall;
  ListByNetwork(argument: _nebius_vpc_v1_ListSubnetsByNetworkRequest, callback: grpc.requestCallback<_nebius_vpc_v1_ListSubnetsResponse__Output>): grpc.ClientUnaryCall;
  listByNetwork(argument: _nebius_vpc_v1_ListSubnetsByNetworkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_vpc_v1_ListSubnetsResponse__Output>): grpc.ClientUnaryCall;
  listByNetwork(argument: _nebius_vpc_v1_ListSubnetsByNetworkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_vpc_v1_ListSubnetsResponse__Output>): grpc.ClientUnaryCall;
  listByNetwork(argument: _nebius_vpc_v1_ListSubnetsByNetworkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_vpc_v1_ListSubnetsResponse__Output>): grpc.ClientUnaryCall;
  listByNetwork(argument: _nebius_vpc_v1_ListSubnetsByNetworkRequest, callback: grpc.requestCallback<_nebius_vpc_v1_ListSubnetsResponse__Output>): grpc.ClientUnaryCall;
  
  Update(argument: _nebius_vpc_v1_UpdateSubnetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Update(argument: _nebius_vpc_v1_UpdateSubnetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Update(argument: _nebius_vpc_v1_UpdateSubnetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  Update(argument: _nebius_vpc_v1_UpdateSubnetRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  update(argument: _nebius_vpc_v1_UpdateSubnetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  update(argument: _nebius_vpc_v1_UpdateSubnetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  update(argument: _nebius_vpc_v1_UpdateSubnetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  update(argument: _nebius_vpc_v1_UpdateSubnetRequest, callback: grpc.requestCallback<_nebius_common_v1_Operation__Output>): grpc.ClientUnaryCall;
  
}

export interface SubnetServiceHandlers extends grpc.UntypedServiceImplementation {
  Create: grpc.handleUnaryCall<_nebius_vpc_v1_CreateSubnetRequest__Output, _nebius_common_v1_Operation>;
  
  Delete: grpc.handleUnaryCall<_nebius_vpc_v1_DeleteSubnetRequest__Output, _nebius_common_v1_Operation>;
  
  Get: grpc.handleUnaryCall<_nebius_vpc_v1_GetSubnetRequest__Output, _nebius_vpc_v1_Subnet>;
  
  GetByName: grpc.handleUnaryCall<_nebius_vpc_v1_GetSubnetByNameRequest__Output, _nebius_vpc_v1_Subnet>;
  
  List: grpc.handleUnaryCall<_nebius_vpc_v1_ListSubnetsRequest__Output, _nebius_vpc_v1_ListSubnetsResponse>;
  
  ListByNetwork: grpc.handleUnaryCall<_nebius_vpc_v1_ListSubnetsByNetworkRequest__Output, _nebius_vpc_v1_ListSubnetsResponse>;
  
  Update: grpc.handleUnaryCall<_nebius_vpc_v1_UpdateSubnetRequest__Output, _nebius_common_v1_Operation>;
  
}

export interface SubnetServiceDefinition extends grpc.ServiceDefinition {
  Create: MethodDefinition<_nebius_vpc_v1_CreateSubnetRequest, _nebius_common_v1_Operation, _nebius_vpc_v1_CreateSubnetRequest__Output, _nebius_common_v1_Operation__Output>
  Delete: MethodDefinition<_nebius_vpc_v1_DeleteSubnetRequest, _nebius_common_v1_Operation, _nebius_vpc_v1_DeleteSubnetRequest__Output, _nebius_common_v1_Operation__Output>
  Get: MethodDefinition<_nebius_vpc_v1_GetSubnetRequest, _nebius_vpc_v1_Subnet, _nebius_vpc_v1_GetSubnetRequest__Output, _nebius_vpc_v1_Subnet__Output>
  GetByName: MethodDefinition<_nebius_vpc_v1_GetSubnetByNameRequest, _nebius_vpc_v1_Subnet, _nebius_vpc_v1_GetSubnetByNameRequest__Output, _nebius_vpc_v1_Subnet__Output>
  List: MethodDefinition<_nebius_vpc_v1_ListSubnetsRequest, _nebius_vpc_v1_ListSubnetsResponse, _nebius_vpc_v1_ListSubnetsRequest__Output, _nebius_vpc_v1_ListSubnetsResponse__Output>
  ListByNetwork: MethodDefinition<_nebius_vpc_v1_ListSubnetsByNetworkRequest, _nebius_vpc_v1_ListSubnetsResponse, _nebius_vpc_v1_ListSubnetsByNetworkRequest__Output, _nebius_vpc_v1_ListSubnetsResponse__Output>
  Update: MethodDefinition<_nebius_vpc_v1_UpdateSubnetRequest, _nebius_common_v1_Operation, _nebius_vpc_v1_UpdateSubnetRequest__Output, _nebius_common_v1_Operation__Output>
}
