// Original file: src/generated/proto/nebius/compute/v1/instance_service.proto

import type { Instance as _nebius_compute_v1_Instance, Instance__Output as _nebius_compute_v1_Instance__Output } from '../../../nebius/compute/v1/Instance.js';
import type { Status as _google_rpc_Status, Status__Output as _google_rpc_Status__Output } from '../../../google/rpc/Status.js';

export interface _nebius_compute_v1_BatchGetResponse_BatchGetResult {
  'instance'?: (_nebius_compute_v1_Instance | null);
  'error'?: (_google_rpc_Status | null);
  'result'?: "instance"|"error";
}

export interface _nebius_compute_v1_BatchGetResponse_BatchGetResult__Output {
  'instance'?: (_nebius_compute_v1_Instance__Output | null);
  'error'?: (_google_rpc_Status__Output | null);
  'result'?: "instance"|"error";
}

export interface BatchGetResponse {
  'items'?: ({[key: string]: _nebius_compute_v1_BatchGetResponse_BatchGetResult});
}

export interface BatchGetResponse__Output {
  'items': ({[key: string]: _nebius_compute_v1_BatchGetResponse_BatchGetResult__Output});
}
