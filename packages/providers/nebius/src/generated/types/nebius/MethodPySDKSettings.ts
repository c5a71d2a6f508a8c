// Original file: src/generated/proto/nebius/annotations.proto


export interface MethodPySDKSettings {
  'name'?: (string);
}

export interface MethodPySDKSettings__Output {
  'name': (string);
}
