// Original file: src/generated/proto/nebius/compute/v1/instance.proto

import type { PassthroughGroupRequest as _nebius_compute_v1_PassthroughGroupRequest, PassthroughGroupRequest__Output as _nebius_compute_v1_PassthroughGroupRequest__Output } from '../../../nebius/compute/v1/PassthroughGroupRequest.js';

export interface LocalDisksSpec {
  'passthroughGroup'?: (_nebius_compute_v1_PassthroughGroupRequest | null);
  'request'?: "passthroughGroup";
}

export interface LocalDisksSpec__Output {
  'passthroughGroup'?: (_nebius_compute_v1_PassthroughGroupRequest__Output | null);
  'request'?: "passthroughGroup";
}
