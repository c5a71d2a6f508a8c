// Original file: src/generated/proto/nebius/compute/v1/network_interface.proto

import type { IPAddressStatus as _nebius_compute_v1_IPAddressStatus, IPAddressStatus__Output as _nebius_compute_v1_IPAddressStatus__Output } from '../../../nebius/compute/v1/IPAddressStatus.js';
import type { PublicIPAddressStatus as _nebius_compute_v1_PublicIPAddressStatus, PublicIPAddressStatus__Output as _nebius_compute_v1_PublicIPAddressStatus__Output } from '../../../nebius/compute/v1/PublicIPAddressStatus.js';
import type { IPAliasesStatus as _nebius_compute_v1_IPAliasesStatus, IPAliasesStatus__Output as _nebius_compute_v1_IPAliasesStatus__Output } from '../../../nebius/compute/v1/IPAliasesStatus.js';
import type { SecurityGroupStatus as _nebius_compute_v1_SecurityGroupStatus, SecurityGroupStatus__Output as _nebius_compute_v1_SecurityGroupStatus__Output } from '../../../nebius/compute/v1/SecurityGroupStatus.js';

export interface NetworkInterfaceStatus {
  'index'?: (number);
  'name'?: (string);
  'ipAddress'?: (_nebius_compute_v1_IPAddressStatus | null);
  'publicIpAddress'?: (_nebius_compute_v1_PublicIPAddressStatus | null);
  'aliases'?: (_nebius_compute_v1_IPAliasesStatus | null);
  'macAddress'?: (string);
  'fqdn'?: (string);
  'securityGroups'?: (_nebius_compute_v1_SecurityGroupStatus)[];
}

export interface NetworkInterfaceStatus__Output {
  'index': (number);
  'name': (string);
  'ipAddress': (_nebius_compute_v1_IPAddressStatus__Output | null);
  'publicIpAddress': (_nebius_compute_v1_PublicIPAddressStatus__Output | null);
  'aliases': (_nebius_compute_v1_IPAliasesStatus__Output | null);
  'macAddress': (string);
  'fqdn': (string);
  'securityGroups': (_nebius_compute_v1_SecurityGroupStatus__Output)[];
}
