// Original file: src/generated/proto/nebius/compute/v1/instance.proto


export interface DiskAttachmentStatus {
  'id'?: (string);
  'name'?: (string);
  'isManaged'?: (boolean);
}

export interface DiskAttachmentStatus__Output {
  'id': (string);
  'name': (string);
  'isManaged': (boolean);
}
