// Original file: src/generated/proto/nebius/annotations.proto


export interface EnumPySDKSettings {
  'name'?: (string);
}

export interface EnumPySDKSettings__Output {
  'name': (string);
}
