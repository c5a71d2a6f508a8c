// Original file: src/generated/proto/nebius/compute/v1/network_interface.proto

import type { IPAddress as _nebius_compute_v1_IPAddress, IPAddress__Output as _nebius_compute_v1_IPAddress__Output } from '../../../nebius/compute/v1/IPAddress.js';
import type { PublicIPAddress as _nebius_compute_v1_PublicIPAddress, PublicIPAddress__Output as _nebius_compute_v1_PublicIPAddress__Output } from '../../../nebius/compute/v1/PublicIPAddress.js';
import type { IPAlias as _nebius_compute_v1_IPAlias, IPAlias__Output as _nebius_compute_v1_IPAlias__Output } from '../../../nebius/compute/v1/IPAlias.js';
import type { SecurityGroup as _nebius_compute_v1_SecurityGroup, SecurityGroup__Output as _nebius_compute_v1_SecurityGroup__Output } from '../../../nebius/compute/v1/SecurityGroup.js';

export interface NetworkInterfaceSpec {
  'subnetId'?: (string);
  'name'?: (string);
  'ipAddress'?: (_nebius_compute_v1_IPAddress | null);
  'publicIpAddress'?: (_nebius_compute_v1_PublicIPAddress | null);
  'aliases'?: (_nebius_compute_v1_IPAlias)[];
  'securityGroups'?: (_nebius_compute_v1_SecurityGroup)[];
}

export interface NetworkInterfaceSpec__Output {
  'subnetId': (string);
  'name': (string);
  'ipAddress': (_nebius_compute_v1_IPAddress__Output | null);
  'publicIpAddress': (_nebius_compute_v1_PublicIPAddress__Output | null);
  'aliases': (_nebius_compute_v1_IPAlias__Output)[];
  'securityGroups': (_nebius_compute_v1_SecurityGroup__Output)[];
}
