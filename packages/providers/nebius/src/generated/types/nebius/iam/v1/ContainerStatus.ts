// Original file: src/generated/proto/nebius/iam/v1/container.proto

import type { SuspensionState as _nebius_iam_v1_SuspensionState, SuspensionState__Output as _nebius_iam_v1_SuspensionState__Output } from '../../../nebius/iam/v1/SuspensionState.js';
import type { State as _nebius_iam_v1_State, State__Output as _nebius_iam_v1_State__Output } from '../../../nebius/iam/v1/State.js';

export interface ContainerStatus {
  'suspensionState'?: (_nebius_iam_v1_SuspensionState);
  'containerState'?: (_nebius_iam_v1_State);
  'region'?: (string);
}

export interface ContainerStatus__Output {
  'suspensionState': (_nebius_iam_v1_SuspensionState__Output);
  'containerState': (_nebius_iam_v1_State__Output);
  'region': (string);
}
