import { defineStatusMap, type LifecycleState } from '@cloudplane/sdk';

/** The instance `status` enum, copied from the spec (a test keeps the two equal). */
export const LAMBDA_STATUSES = [
  'active',
  'booting',
  'unhealthy',
  'terminating',
  'terminated',
] as const;
export type LambdaStatus = (typeof LAMBDA_STATUSES)[number];

export const LAMBDA_STATUS_TABLE: Readonly<Record<LambdaStatus, LifecycleState>> = {
  booting: 'pending',
  active: 'running',
  // Lambda gives up on the machine: it does not come back without the user's help.
  unhealthy: 'failed',
  terminating: 'terminating',
  terminated: 'terminated',
};

/** Unknown statuses count as pending: not usable yet, and not final, so nothing is torn down. */
export const statusMap = defineStatusMap(LAMBDA_STATUS_TABLE, {
  fallback: 'pending',
  provider: 'lambda',
});
