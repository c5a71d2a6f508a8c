// Original file: src/generated/proto/nebius/annotations.proto


export interface FieldPySDKSettings {
  'name'?: (string);
}

export interface FieldPySDKSettings__Output {
  'name': (string);
}
