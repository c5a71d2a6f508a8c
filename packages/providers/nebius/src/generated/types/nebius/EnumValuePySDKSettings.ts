// Original file: src/generated/proto/nebius/annotations.proto


export interface EnumValuePySDKSettings {
  'name'?: (string);
}

export interface EnumValuePySDKSettings__Output {
  'name': (string);
}
