// Original file: src/generated/proto/nebius/compute/v1/platform.proto


export interface PresetResources {
  'vcpuCount'?: (number);
  'memoryGibibytes'?: (number);
  'gpuCount'?: (number);
  'gpuMemoryGibibytes'?: (number);
}

export interface PresetResources__Output {
  'vcpuCount': (number);
  'memoryGibibytes': (number);
  'gpuCount': (number);
  'gpuMemoryGibibytes': (number);
}
