// Original file: src/generated/proto/nebius/compute/v1/disk.proto


export interface SourceImageFamily {
  'imageFamily'?: (string);
  'parentId'?: (string);
}

export interface SourceImageFamily__Output {
  'imageFamily': (string);
  'parentId': (string);
}
