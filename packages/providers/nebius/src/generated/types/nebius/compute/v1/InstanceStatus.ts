// Original file: src/generated/proto/nebius/compute/v1/instance.proto

import type { NetworkInterfaceStatus as _nebius_compute_v1_NetworkInterfaceStatus, NetworkInterfaceStatus__Output as _nebius_compute_v1_NetworkInterfaceStatus__Output } from '../../../nebius/compute/v1/NetworkInterfaceStatus.js';
import type { InstanceStatusInfinibandTopologyPath as _nebius_compute_v1_InstanceStatusInfinibandTopologyPath, InstanceStatusInfinibandTopologyPath__Output as _nebius_compute_v1_InstanceStatusInfinibandTopologyPath__Output } from '../../../nebius/compute/v1/InstanceStatusInfinibandTopologyPath.js';
import type { DiskAttachmentStatus as _nebius_compute_v1_DiskAttachmentStatus, DiskAttachmentStatus__Output as _nebius_compute_v1_DiskAttachmentStatus__Output } from '../../../nebius/compute/v1/DiskAttachmentStatus.js';

// Original file: src/generated/proto/nebius/compute/v1/instance.proto

export const _nebius_compute_v1_InstanceStatus_InstanceState = {
  UNSPECIFIED: 'UNSPECIFIED',
  CREATING: 'CREATING',
  UPDATING: 'UPDATING',
  STARTING: 'STARTING',
  RUNNING: 'RUNNING',
  STOPPING: 'STOPPING',
  STOPPED: 'STOPPED',
  DELETING: 'DELETING',
  ERROR: 'ERROR',
} as const;

export type _nebius_compute_v1_InstanceStatus_InstanceState =
  | 'UNSPECIFIED'
  | 0
  | 'CREATING'
  | 1
  | 'UPDATING'
  | 2
  | 'STARTING'
  | 3
  | 'RUNNING'
  | 4
  | 'STOPPING'
  | 5
  | 'STOPPED'
  | 6
  | 'DELETING'
  | 7
  | 'ERROR'
  | 8

export type _nebius_compute_v1_InstanceStatus_InstanceState__Output = typeof _nebius_compute_v1_InstanceStatus_InstanceState[keyof typeof _nebius_compute_v1_InstanceStatus_InstanceState]

export interface InstanceStatus {
  'state'?: (_nebius_compute_v1_InstanceStatus_InstanceState);
  'networkInterfaces'?: (_nebius_compute_v1_NetworkInterfaceStatus)[];
  'reconciling'?: (boolean);
  'maintenanceEventId'?: (string);
  'infinibandTopologyPath'?: (_nebius_compute_v1_InstanceStatusInfinibandTopologyPath | null);
  'reservationId'?: (string);
  'diskAttachments'?: (_nebius_compute_v1_DiskAttachmentStatus)[];
  'gpuClusterTopology'?: "infinibandTopologyPath";
}

export interface InstanceStatus__Output {
  'state': (_nebius_compute_v1_InstanceStatus_InstanceState__Output);
  'networkInterfaces': (_nebius_compute_v1_NetworkInterfaceStatus__Output)[];
  'reconciling': (boolean);
  'maintenanceEventId': (string);
  'infinibandTopologyPath'?: (_nebius_compute_v1_InstanceStatusInfinibandTopologyPath__Output | null);
  'reservationId': (string);
  'diskAttachments': (_nebius_compute_v1_DiskAttachmentStatus__Output)[];
  'gpuClusterTopology'?: "infinibandTopologyPath";
}
