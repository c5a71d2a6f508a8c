// Original file: src/generated/proto/nebius/annotations.proto


export interface DeprecationDetails {
  'effectiveAt'?: (string);
  'description'?: (string);
  'descriptionCli'?: (string);
}

export interface DeprecationDetails__Output {
  'effectiveAt': (string);
  'description': (string);
  'descriptionCli': (string);
}
