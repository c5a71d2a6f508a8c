// Original file: src/generated/proto/nebius/iam/v1/container.proto


export interface ContainerSpec {
  'region'?: (string);
}

export interface ContainerSpec__Output {
  'region': (string);
}
