// Original file: src/generated/proto/nebius/annotations.proto


export interface OneofPySDKSettings {
  'name'?: (string);
}

export interface OneofPySDKSettings__Output {
  'name': (string);
}
