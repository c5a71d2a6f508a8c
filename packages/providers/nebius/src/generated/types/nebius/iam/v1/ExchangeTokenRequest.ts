// Original file: src/generated/proto/nebius/iam/v1/token_service.proto


export interface ExchangeTokenRequest {
  'grantType'?: (string);
  'requestedTokenType'?: (string);
  'subjectToken'?: (string);
  'subjectTokenType'?: (string);
  'scopes'?: (string)[];
  'audience'?: (string);
  'actorToken'?: (string);
  'actorTokenType'?: (string);
  'resource'?: (string)[];
}

export interface ExchangeTokenRequest__Output {
  'grantType': (string);
  'requestedTokenType': (string);
  'subjectToken': (string);
  'subjectTokenType': (string);
  'scopes': (string)[];
  'audience': (string);
  'actorToken': (string);
  'actorTokenType': (string);
  'resource': (string)[];
}
