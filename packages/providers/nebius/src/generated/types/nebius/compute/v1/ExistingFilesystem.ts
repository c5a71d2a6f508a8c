// Original file: src/generated/proto/nebius/compute/v1/instance.proto


export interface ExistingFilesystem {
  'id'?: (string);
}

export interface ExistingFilesystem__Output {
  'id': (string);
}
