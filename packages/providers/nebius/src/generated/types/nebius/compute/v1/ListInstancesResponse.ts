// Original file: src/generated/proto/nebius/compute/v1/instance_service.proto

import type { Instance as _nebius_compute_v1_Instance, Instance__Output as _nebius_compute_v1_Instance__Output } from '../../../nebius/compute/v1/Instance.js';

export interface ListInstancesResponse {
  'items'?: (_nebius_compute_v1_Instance)[];
  'nextPageToken'?: (string);
}

export interface ListInstancesResponse__Output {
  'items': (_nebius_compute_v1_Instance__Output)[];
  'nextPageToken': (string);
}
