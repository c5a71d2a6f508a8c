// Original file: src/generated/proto/nebius/annotations.proto


export interface MessagePySDKSettings {
  'name'?: (string);
}

export interface MessagePySDKSettings__Output {
  'name': (string);
}
