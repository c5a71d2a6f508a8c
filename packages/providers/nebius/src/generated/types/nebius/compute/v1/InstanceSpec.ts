// Original file: src/generated/proto/nebius/compute/v1/instance.proto

import type { ResourcesSpec as _nebius_compute_v1_ResourcesSpec, ResourcesSpec__Output as _nebius_compute_v1_ResourcesSpec__Output } from '../../../nebius/compute/v1/ResourcesSpec.js';
import type { InstanceGpuClusterSpec as _nebius_compute_v1_InstanceGpuClusterSpec, InstanceGpuClusterSpec__Output as _nebius_compute_v1_InstanceGpuClusterSpec__Output } from '../../../nebius/compute/v1/InstanceGpuClusterSpec.js';
import type { NetworkInterfaceSpec as _nebius_compute_v1_NetworkInterfaceSpec, NetworkInterfaceSpec__Output as _nebius_compute_v1_NetworkInterfaceSpec__Output } from '../../../nebius/compute/v1/NetworkInterfaceSpec.js';
import type { AttachedDiskSpec as _nebius_compute_v1_AttachedDiskSpec, AttachedDiskSpec__Output as _nebius_compute_v1_AttachedDiskSpec__Output } from '../../../nebius/compute/v1/AttachedDiskSpec.js';
import type { AttachedFilesystemSpec as _nebius_compute_v1_AttachedFilesystemSpec, AttachedFilesystemSpec__Output as _nebius_compute_v1_AttachedFilesystemSpec__Output } from '../../../nebius/compute/v1/AttachedFilesystemSpec.js';
import type { InstanceRecoveryPolicy as _nebius_compute_v1_InstanceRecoveryPolicy, InstanceRecoveryPolicy__Output as _nebius_compute_v1_InstanceRecoveryPolicy__Output } from '../../../nebius/compute/v1/InstanceRecoveryPolicy.js';
import type { PreemptibleSpec as _nebius_compute_v1_PreemptibleSpec, PreemptibleSpec__Output as _nebius_compute_v1_PreemptibleSpec__Output } from '../../../nebius/compute/v1/PreemptibleSpec.js';
import type { ReservationPolicy as _nebius_compute_v1_ReservationPolicy, ReservationPolicy__Output as _nebius_compute_v1_ReservationPolicy__Output } from '../../../nebius/compute/v1/ReservationPolicy.js';
import type { LocalDisksSpec as _nebius_compute_v1_LocalDisksSpec, LocalDisksSpec__Output as _nebius_compute_v1_LocalDisksSpec__Output } from '../../../nebius/compute/v1/LocalDisksSpec.js';

export interface InstanceSpec {
  'serviceAccountId'?: (string);
  'resources'?: (_nebius_compute_v1_ResourcesSpec | null);
  'gpuCluster'?: (_nebius_compute_v1_InstanceGpuClusterSpec | null);
  'networkInterfaces'?: (_nebius_compute_v1_NetworkInterfaceSpec)[];
  'bootDisk'?: (_nebius_compute_v1_AttachedDiskSpec | null);
  'secondaryDisks'?: (_nebius_compute_v1_AttachedDiskSpec)[];
  'filesystems'?: (_nebius_compute_v1_AttachedFilesystemSpec)[];
  'cloudInitUserData'?: (string);
  'stopped'?: (boolean);
  'recoveryPolicy'?: (_nebius_compute_v1_InstanceRecoveryPolicy);
  'preemptible'?: (_nebius_compute_v1_PreemptibleSpec | null);
  'hostname'?: (string);
  'nvlInstanceGroupId'?: (string);
  'reservationPolicy'?: (_nebius_compute_v1_ReservationPolicy | null);
  'localDisks'?: (_nebius_compute_v1_LocalDisksSpec | null);
}

export interface InstanceSpec__Output {
  'serviceAccountId': (string);
  'resources': (_nebius_compute_v1_ResourcesSpec__Output | null);
  'gpuCluster': (_nebius_compute_v1_InstanceGpuClusterSpec__Output | null);
  'networkInterfaces': (_nebius_compute_v1_NetworkInterfaceSpec__Output)[];
  'bootDisk': (_nebius_compute_v1_AttachedDiskSpec__Output | null);
  'secondaryDisks': (_nebius_compute_v1_AttachedDiskSpec__Output)[];
  'filesystems': (_nebius_compute_v1_AttachedFilesystemSpec__Output)[];
  'cloudInitUserData': (string);
  'stopped': (boolean);
  'recoveryPolicy': (_nebius_compute_v1_InstanceRecoveryPolicy__Output);
  'preemptible': (_nebius_compute_v1_PreemptibleSpec__Output | null);
  'hostname': (string);
  'nvlInstanceGroupId': (string);
  'reservationPolicy': (_nebius_compute_v1_ReservationPolicy__Output | null);
  'localDisks': (_nebius_compute_v1_LocalDisksSpec__Output | null);
}
