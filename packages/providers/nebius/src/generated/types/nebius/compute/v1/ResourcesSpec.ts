// Original file: src/generated/proto/nebius/compute/v1/instance.proto


export interface ResourcesSpec {
  'platform'?: (string);
  'preset'?: (string);
  'size'?: "preset";
}

export interface ResourcesSpec__Output {
  'platform': (string);
  'preset'?: (string);
  'size'?: "preset";
}
