// Original file: src/generated/proto/nebius/iam/v1/token_service.proto

import type { Long } from '@grpc/proto-loader';

export interface CreateTokenResponse {
  'accessToken'?: (string);
  'issuedTokenType'?: (string);
  'tokenType'?: (string);
  'expiresIn'?: (number | string | Long);
  'scopes'?: (string)[];
}

export interface CreateTokenResponse__Output {
  'accessToken': (string);
  'issuedTokenType': (string);
  'tokenType': (string);
  'expiresIn': (string);
  'scopes': (string)[];
}
