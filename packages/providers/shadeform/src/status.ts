import { defineStatusMap, type LifecycleState } from '@cloudplane/sdk';

/** The instance `Status` enum, copied from the spec (a test keeps the two equal). */
export const SHADEFORM_STATUSES = [
  'creating',
  'pending_provider',
  'pending',
  'active',
  'error',
  'deleting',
  'deleted',
] as const;
export type ShadeformStatus = (typeof SHADEFORM_STATUSES)[number];

export const SHADEFORM_STATUS_TABLE: Readonly<Record<ShadeformStatus, LifecycleState>> = {
  // Shadeform has accepted the launch and not yet asked the underlying cloud.
  creating: 'pending',
  // The underlying cloud has the request and is provisioning.
  pending_provider: 'pending',
  // The machine exists and is booting or being set up.
  pending: 'pending',
  active: 'running',
  // The launch or the machine failed; Shadeform does not recover it by itself.
  error: 'failed',
  deleting: 'terminating',
  deleted: 'terminated',
};

/** Unknown statuses count as pending: not usable yet, and not final, so nothing is torn down. */
export const statusMap = defineStatusMap(SHADEFORM_STATUS_TABLE, {
  fallback: 'pending',
  provider: 'shadeform',
});
