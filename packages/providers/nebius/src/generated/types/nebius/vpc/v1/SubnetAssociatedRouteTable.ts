// Original file: src/generated/proto/nebius/vpc/v1/subnet.proto


export interface SubnetAssociatedRouteTable {
  'id'?: (string);
  'default'?: (boolean);
}

export interface SubnetAssociatedRouteTable__Output {
  'id': (string);
  'default': (boolean);
}
