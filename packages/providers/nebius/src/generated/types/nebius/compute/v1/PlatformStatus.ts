// Original file: src/generated/proto/nebius/compute/v1/platform.proto


export interface PlatformStatus {
  'allowedForPreemptibles'?: (boolean);
}

export interface PlatformStatus__Output {
  'allowedForPreemptibles': (boolean);
}
