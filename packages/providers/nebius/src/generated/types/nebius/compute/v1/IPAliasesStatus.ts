// Original file: src/generated/proto/nebius/compute/v1/network_interface.proto


export interface IPAliasesStatus {
  'cidrs'?: (string)[];
}

export interface IPAliasesStatus__Output {
  'cidrs': (string)[];
}
