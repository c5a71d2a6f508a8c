// Original file: src/generated/proto/nebius/annotations.proto


export interface NIDFieldSettings {
  'resource'?: (string)[];
  'parentResource'?: (string)[];
}

export interface NIDFieldSettings__Output {
  'resource': (string)[];
  'parentResource': (string)[];
}
