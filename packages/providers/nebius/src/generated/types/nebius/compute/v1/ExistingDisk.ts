// Original file: src/generated/proto/nebius/compute/v1/instance.proto


export interface ExistingDisk {
  'id'?: (string);
}

export interface ExistingDisk__Output {
  'id': (string);
}
