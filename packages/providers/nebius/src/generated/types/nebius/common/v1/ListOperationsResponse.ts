// Original file: src/generated/proto/nebius/common/v1/operation_service.proto

import type { Operation as _nebius_common_v1_Operation, Operation__Output as _nebius_common_v1_Operation__Output } from '../../../nebius/common/v1/Operation.js';

export interface ListOperationsResponse {
  'operations'?: (_nebius_common_v1_Operation)[];
  'nextPageToken'?: (string);
}

export interface ListOperationsResponse__Output {
  'operations': (_nebius_common_v1_Operation__Output)[];
  'nextPageToken': (string);
}
