import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { BadRequest as _nebius_common_v1_BadRequest, BadRequest__Output as _nebius_common_v1_BadRequest__Output } from './nebius/common/v1/BadRequest.js';
import type { BadResourceState as _nebius_common_v1_BadResourceState, BadResourceState__Output as _nebius_common_v1_BadResourceState__Output } from './nebius/common/v1/BadResourceState.js';
import type { InternalError as _nebius_common_v1_InternalError, InternalError__Output as _nebius_common_v1_InternalError__Output } from './nebius/common/v1/InternalError.js';
import type { NotEnoughResources as _nebius_common_v1_NotEnoughResources, NotEnoughResources__Output as _nebius_common_v1_NotEnoughResources__Output } from './nebius/common/v1/NotEnoughResources.js';
import type { OperationAborted as _nebius_common_v1_OperationAborted, OperationAborted__Output as _nebius_common_v1_OperationAborted__Output } from './nebius/common/v1/OperationAborted.js';
import type { OperationConflict as _nebius_common_v1_OperationConflict, OperationConflict__Output as _nebius_common_v1_OperationConflict__Output } from './nebius/common/v1/OperationConflict.js';
import type { OutOfRange as _nebius_common_v1_OutOfRange, OutOfRange__Output as _nebius_common_v1_OutOfRange__Output } from './nebius/common/v1/OutOfRange.js';
import type { PermissionDenied as _nebius_common_v1_PermissionDenied, PermissionDenied__Output as _nebius_common_v1_PermissionDenied__Output } from './nebius/common/v1/PermissionDenied.js';
import type { QuotaFailure as _nebius_common_v1_QuotaFailure, QuotaFailure__Output as _nebius_common_v1_QuotaFailure__Output } from './nebius/common/v1/QuotaFailure.js';
import type { ResourceAlreadyExists as _nebius_common_v1_ResourceAlreadyExists, ResourceAlreadyExists__Output as _nebius_common_v1_ResourceAlreadyExists__Output } from './nebius/common/v1/ResourceAlreadyExists.js';
import type { ResourceConflict as _nebius_common_v1_ResourceConflict, ResourceConflict__Output as _nebius_common_v1_ResourceConflict__Output } from './nebius/common/v1/ResourceConflict.js';
import type { ResourceNotFound as _nebius_common_v1_ResourceNotFound, ResourceNotFound__Output as _nebius_common_v1_ResourceNotFound__Output } from './nebius/common/v1/ResourceNotFound.js';
import type { ServiceError as _nebius_common_v1_ServiceError, ServiceError__Output as _nebius_common_v1_ServiceError__Output } from './nebius/common/v1/ServiceError.js';
import type { TooManyRequests as _nebius_common_v1_TooManyRequests, TooManyRequests__Output as _nebius_common_v1_TooManyRequests__Output } from './nebius/common/v1/TooManyRequests.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  nebius: {
    common: {
      v1: {
        BadRequest: MessageTypeDefinition<_nebius_common_v1_BadRequest, _nebius_common_v1_BadRequest__Output>
        BadResourceState: MessageTypeDefinition<_nebius_common_v1_BadResourceState, _nebius_common_v1_BadResourceState__Output>
        InternalError: MessageTypeDefinition<_nebius_common_v1_InternalError, _nebius_common_v1_InternalError__Output>
        NotEnoughResources: MessageTypeDefinition<_nebius_common_v1_NotEnoughResources, _nebius_common_v1_NotEnoughResources__Output>
        OperationAborted: MessageTypeDefinition<_nebius_common_v1_OperationAborted, _nebius_common_v1_OperationAborted__Output>
        OperationConflict: MessageTypeDefinition<_nebius_common_v1_OperationConflict, _nebius_common_v1_OperationConflict__Output>
        OutOfRange: MessageTypeDefinition<_nebius_common_v1_OutOfRange, _nebius_common_v1_OutOfRange__Output>
        PermissionDenied: MessageTypeDefinition<_nebius_common_v1_PermissionDenied, _nebius_common_v1_PermissionDenied__Output>
        QuotaFailure: MessageTypeDefinition<_nebius_common_v1_QuotaFailure, _nebius_common_v1_QuotaFailure__Output>
        ResourceAlreadyExists: MessageTypeDefinition<_nebius_common_v1_ResourceAlreadyExists, _nebius_common_v1_ResourceAlreadyExists__Output>
        ResourceConflict: MessageTypeDefinition<_nebius_common_v1_ResourceConflict, _nebius_common_v1_ResourceConflict__Output>
        ResourceNotFound: MessageTypeDefinition<_nebius_common_v1_ResourceNotFound, _nebius_common_v1_ResourceNotFound__Output>
        ServiceError: MessageTypeDefinition<_nebius_common_v1_ServiceError, _nebius_common_v1_ServiceError__Output>
        TooManyRequests: MessageTypeDefinition<_nebius_common_v1_TooManyRequests, _nebius_common_v1_TooManyRequests__Output>
      }
    }
  }
}

