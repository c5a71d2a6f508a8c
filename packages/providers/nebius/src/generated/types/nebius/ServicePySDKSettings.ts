// Original file: src/generated/proto/nebius/annotations.proto


export interface ServicePySDKSettings {
  'name'?: (string);
}

export interface ServicePySDKSettings__Output {
  'name': (string);
}
