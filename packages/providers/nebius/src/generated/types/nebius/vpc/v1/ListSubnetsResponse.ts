// Original file: src/generated/proto/nebius/vpc/v1/subnet_service.proto

import type { Subnet as _nebius_vpc_v1_Subnet, Subnet__Output as _nebius_vpc_v1_Subnet__Output } from '../../../nebius/vpc/v1/Subnet.js';

export interface ListSubnetsResponse {
  'items'?: (_nebius_vpc_v1_Subnet)[];
  'nextPageToken'?: (string);
}

export interface ListSubnetsResponse__Output {
  'items': (_nebius_vpc_v1_Subnet__Output)[];
  'nextPageToken': (string);
}
