import { defineStatusMap, type LifecycleState } from '@cloudplane/sdk';

/**
 * A deployment is the instance, so its `state` (the spec's `DeploymentState` enum, copied here;
 * a test keeps the two equal) is the instance status.
 */
export const DEPLOYMENT_STATES = [
  'destroyed',
  'destroying',
  'error',
  'failed',
  'paused',
  'ready',
  'retrying',
  'starting',
  'stopped',
  'stopping',
  'waiting',
] as const;
export type DeploymentState = (typeof DEPLOYMENT_STATES)[number];

export const DEPLOYMENT_STATE_TABLE = {
  // Waiting for a cluster, or for its provisioning pipeline to finish.
  waiting: 'pending',
  // The spec: "Deployment instances are starting" (first boot, or after a start task).
  starting: 'pending',
  // LaunchPad is provisioning again after a failed attempt.
  retrying: 'pending',
  // Provisioning is on hold and "may be retried later": not usable yet, and not final.
  paused: 'pending',
  ready: 'running',
  stopping: 'stopping',
  stopped: 'stopped',
  // "Has failed but may be retried": unless persist_on_failure is set, LaunchPad cleans such a
  // deployment up itself, so it is not coming back as it was.
  failed: 'failed',
  // "A fatal error and will not be retried".
  error: 'failed',
  destroying: 'terminating',
  destroyed: 'terminated',
} as const satisfies Record<DeploymentState, LifecycleState>;

/** Unknown states count as pending: not usable yet, and not final, so nothing is torn down. */
export const statusMap = defineStatusMap<DeploymentState>(DEPLOYMENT_STATE_TABLE, {
  fallback: 'pending',
  provider: 'launchpad',
});

/** The spec's `StatusEnum`: where a start or stop task stands (a test keeps the two equal). */
export const TASK_STATUSES = ['completed', 'failed', 'pending', 'processing', 'retrying'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * What a task's status means for stopInstance / startInstance, which resolve once LaunchPad has
 * accepted the request: every status but `failed` is accepted (the deployment's own state then
 * shows the stop or start); a task that already failed is an error.
 */
export const TASK_STATUS_TABLE = {
  pending: 'accepted',
  processing: 'accepted',
  retrying: 'accepted',
  completed: 'accepted',
  failed: 'failed',
} as const satisfies Record<TaskStatus, 'accepted' | 'failed'>;
