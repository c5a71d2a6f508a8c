// Original file: src/generated/proto/nebius/compute/v1/instance.proto


export interface InstanceStatusInfinibandTopologyPath {
  'path'?: (string)[];
}

export interface InstanceStatusInfinibandTopologyPath__Output {
  'path': (string)[];
}
