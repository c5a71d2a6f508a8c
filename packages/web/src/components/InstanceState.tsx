import type { Instance } from '../api/types.js';

const TONE: Record<Instance['state'], string> = {
  pending: 'warn',
  running: 'good',
  stopping: 'warn',
  stopped: 'neutral',
  suspending: 'warn',
  suspended: 'neutral',
  terminating: 'warn',
  terminated: 'neutral',
  failed: 'bad',
};

export function InstanceState({ instance }: { instance: Instance }) {
  return (
    <span className={`badge ${TONE[instance.state]}`} data-state={instance.state}>
      {instance.state}
      {instance.pendingAction && ` (${instance.pendingAction}…)`}
    </span>
  );
}
