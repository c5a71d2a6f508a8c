// Original file: src/generated/proto/nebius/vpc/v1/subnet.proto

import type { AddressBlockState as _nebius_vpc_v1_AddressBlockState, AddressBlockState__Output as _nebius_vpc_v1_AddressBlockState__Output } from '../../../nebius/vpc/v1/AddressBlockState.js';
import type { Long } from '@grpc/proto-loader';

export interface SubnetCidr {
  'cidr'?: (string);
  'state'?: (_nebius_vpc_v1_AddressBlockState);
  'maxMaskLength'?: (number | string | Long);
}

export interface SubnetCidr__Output {
  'cidr': (string);
  'state': (_nebius_vpc_v1_AddressBlockState__Output);
  'maxMaskLength': (string);
}
