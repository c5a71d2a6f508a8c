// Original file: src/generated/proto/nebius/compute/v1/platform_service.proto

import type { Platform as _nebius_compute_v1_Platform, Platform__Output as _nebius_compute_v1_Platform__Output } from '../../../nebius/compute/v1/Platform.js';

export interface ListPlatformsResponse {
  'items'?: (_nebius_compute_v1_Platform)[];
  'nextPageToken'?: (string);
}

export interface ListPlatformsResponse__Output {
  'items': (_nebius_compute_v1_Platform__Output)[];
  'nextPageToken': (string);
}
