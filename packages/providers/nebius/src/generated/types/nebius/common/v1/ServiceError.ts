// Original file: src/generated/proto/nebius/common/v1/error.proto

import type { BadRequest as _nebius_common_v1_BadRequest, BadRequest__Output as _nebius_common_v1_BadRequest__Output } from '../../../nebius/common/v1/BadRequest.js';
import type { BadResourceState as _nebius_common_v1_BadResourceState, BadResourceState__Output as _nebius_common_v1_BadResourceState__Output } from '../../../nebius/common/v1/BadResourceState.js';
import type { ResourceNotFound as _nebius_common_v1_ResourceNotFound, ResourceNotFound__Output as _nebius_common_v1_ResourceNotFound__Output } from '../../../nebius/common/v1/ResourceNotFound.js';
import type { ResourceAlreadyExists as _nebius_common_v1_ResourceAlreadyExists, ResourceAlreadyExists__Output as _nebius_common_v1_ResourceAlreadyExists__Output } from '../../../nebius/common/v1/ResourceAlreadyExists.js';
import type { OutOfRange as _nebius_common_v1_OutOfRange, OutOfRange__Output as _nebius_common_v1_OutOfRange__Output } from '../../../nebius/common/v1/OutOfRange.js';
import type { PermissionDenied as _nebius_common_v1_PermissionDenied, PermissionDenied__Output as _nebius_common_v1_PermissionDenied__Output } from '../../../nebius/common/v1/PermissionDenied.js';
import type { ResourceConflict as _nebius_common_v1_ResourceConflict, ResourceConflict__Output as _nebius_common_v1_ResourceConflict__Output } from '../../../nebius/common/v1/ResourceConflict.js';
import type { OperationAborted as _nebius_common_v1_OperationAborted, OperationAborted__Output as _nebius_common_v1_OperationAborted__Output } from '../../../nebius/common/v1/OperationAborted.js';
import type { OperationConflict as _nebius_common_v1_OperationConflict, OperationConflict__Output as _nebius_common_v1_OperationConflict__Output } from '../../../nebius/common/v1/OperationConflict.js';
import type { TooManyRequests as _nebius_common_v1_TooManyRequests, TooManyRequests__Output as _nebius_common_v1_TooManyRequests__Output } from '../../../nebius/common/v1/TooManyRequests.js';
import type { QuotaFailure as _nebius_common_v1_QuotaFailure, QuotaFailure__Output as _nebius_common_v1_QuotaFailure__Output } from '../../../nebius/common/v1/QuotaFailure.js';
import type { NotEnoughResources as _nebius_common_v1_NotEnoughResources, NotEnoughResources__Output as _nebius_common_v1_NotEnoughResources__Output } from '../../../nebius/common/v1/NotEnoughResources.js';
import type { InternalError as _nebius_common_v1_InternalError, InternalError__Output as _nebius_common_v1_InternalError__Output } from '../../../nebius/common/v1/InternalError.js';

// Original file: src/generated/proto/nebius/common/v1/error.proto

export const _nebius_common_v1_ServiceError_RetryType = {
  UNSPECIFIED: 'UNSPECIFIED',
  CALL: 'CALL',
  UNIT_OF_WORK: 'UNIT_OF_WORK',
  NOTHING: 'NOTHING',
} as const;

export type _nebius_common_v1_ServiceError_RetryType =
  | 'UNSPECIFIED'
  | 0
  | 'CALL'
  | 1
  | 'UNIT_OF_WORK'
  | 2
  | 'NOTHING'
  | 3

export type _nebius_common_v1_ServiceError_RetryType__Output = typeof _nebius_common_v1_ServiceError_RetryType[keyof typeof _nebius_common_v1_ServiceError_RetryType]

export interface ServiceError {
  'service'?: (string);
  'code'?: (string);
  'retryType'?: (_nebius_common_v1_ServiceError_RetryType);
  'badRequest'?: (_nebius_common_v1_BadRequest | null);
  'badResourceState'?: (_nebius_common_v1_BadResourceState | null);
  'resourceNotFound'?: (_nebius_common_v1_ResourceNotFound | null);
  'resourceAlreadyExists'?: (_nebius_common_v1_ResourceAlreadyExists | null);
  'outOfRange'?: (_nebius_common_v1_OutOfRange | null);
  'permissionDenied'?: (_nebius_common_v1_PermissionDenied | null);
  'resourceConflict'?: (_nebius_common_v1_ResourceConflict | null);
  'operationAborted'?: (_nebius_common_v1_OperationAborted | null);
  'operationConflict'?: (_nebius_common_v1_OperationConflict | null);
  'tooManyRequests'?: (_nebius_common_v1_TooManyRequests | null);
  'quotaFailure'?: (_nebius_common_v1_QuotaFailure | null);
  'notEnoughResources'?: (_nebius_common_v1_NotEnoughResources | null);
  'internalError'?: (_nebius_common_v1_InternalError | null);
  'details'?: "badRequest"|"badResourceState"|"resourceNotFound"|"resourceAlreadyExists"|"outOfRange"|"permissionDenied"|"resourceConflict"|"operationAborted"|"operationConflict"|"tooManyRequests"|"quotaFailure"|"notEnoughResources"|"internalError";
}

export interface ServiceError__Output {
  'service': (string);
  'code': (string);
  'retryType': (_nebius_common_v1_ServiceError_RetryType__Output);
  'badRequest'?: (_nebius_common_v1_BadRequest__Output | null);
  'badResourceState'?: (_nebius_common_v1_BadResourceState__Output | null);
  'resourceNotFound'?: (_nebius_common_v1_ResourceNotFound__Output | null);
  'resourceAlreadyExists'?: (_nebius_common_v1_ResourceAlreadyExists__Output | null);
  'outOfRange'?: (_nebius_common_v1_OutOfRange__Output | null);
  'permissionDenied'?: (_nebius_common_v1_PermissionDenied__Output | null);
  'resourceConflict'?: (_nebius_common_v1_ResourceConflict__Output | null);
  'operationAborted'?: (_nebius_common_v1_OperationAborted__Output | null);
  'operationConflict'?: (_nebius_common_v1_OperationConflict__Output | null);
  'tooManyRequests'?: (_nebius_common_v1_TooManyRequests__Output | null);
  'quotaFailure'?: (_nebius_common_v1_QuotaFailure__Output | null);
  'notEnoughResources'?: (_nebius_common_v1_NotEnoughResources__Output | null);
  'internalError'?: (_nebius_common_v1_InternalError__Output | null);
  'details'?: "badRequest"|"badResourceState"|"resourceNotFound"|"resourceAlreadyExists"|"outOfRange"|"permissionDenied"|"resourceConflict"|"operationAborted"|"operationConflict"|"tooManyRequests"|"quotaFailure"|"notEnoughResources"|"internalError";
}
