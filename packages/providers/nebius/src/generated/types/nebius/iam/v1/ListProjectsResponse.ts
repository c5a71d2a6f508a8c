// Original file: src/generated/proto/nebius/iam/v1/project_service.proto

import type { Container as _nebius_iam_v1_Container, Container__Output as _nebius_iam_v1_Container__Output } from '../../../nebius/iam/v1/Container.js';

export interface ListProjectsResponse {
  'items'?: (_nebius_iam_v1_Container)[];
  'nextPageToken'?: (string);
}

export interface ListProjectsResponse__Output {
  'items': (_nebius_iam_v1_Container__Output)[];
  'nextPageToken': (string);
}
