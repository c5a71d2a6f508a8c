// Original file: src/generated/proto/nebius/compute/v1/instance.proto


export interface InstanceGpuClusterSpec {
  'id'?: (string);
}

export interface InstanceGpuClusterSpec__Output {
  'id': (string);
}
