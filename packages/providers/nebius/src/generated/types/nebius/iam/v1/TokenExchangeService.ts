// Original file: src/generated/proto/nebius/iam/v1/token_exchange_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateTokenResponse as _nebius_iam_v1_CreateTokenResponse, CreateTokenResponse__Output as _nebius_iam_v1_CreateTokenResponse__Output } from '../../../nebius/iam/v1/CreateTokenResponse.js';
import type { ExchangeTokenRequest as _nebius_iam_v1_ExchangeTokenRequest, ExchangeTokenRequest__Output as _nebius_iam_v1_ExchangeTokenRequest__Output } from '../../../nebius/iam/v1/ExchangeTokenRequest.js';

export interface TokenExchangeServiceClient extends grpc.Client {
  Exchange(argument: _nebius_iam_v1_ExchangeTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_iam_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  Exchange(argument: _nebius_iam_v1_ExchangeTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_iam_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  Exchange(argument: _nebius_iam_v1_ExchangeTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_iam_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  Exchange(argument: _nebius_iam_v1_ExchangeTokenRequest, callback: grpc.requestCallback<_nebius_iam_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  exchange(argument: _nebius_iam_v1_ExchangeTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_iam_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  exchange(argument: _nebius_iam_v1_ExchangeTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_nebius_iam_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  exchange(argument: _nebius_iam_v1_ExchangeTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_nebius_iam_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  exchange(argument: _nebius_iam_v1_ExchangeTokenRequest, callback: grpc.requestCallback<_nebius_iam_v1_CreateTokenResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface TokenExchangeServiceHandlers extends grpc.UntypedServiceImplementation {
  Exchange: grpc.handleUnaryCall<_nebius_iam_v1_ExchangeTokenRequest__Output, _nebius_iam_v1_CreateTokenResponse>;
  
}

export interface TokenExchangeServiceDefinition extends grpc.ServiceDefinition {
  Exchange: MethodDefinition<_nebius_iam_v1_ExchangeTokenRequest, _nebius_iam_v1_CreateTokenResponse, _nebius_iam_v1_ExchangeTokenRequest__Output, _nebius_iam_v1_CreateTokenResponse__Output>
}
