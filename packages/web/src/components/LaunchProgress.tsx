import type { Instance } from '../api/types.js';
import { navigate } from '../lib/router.js';
import { InstanceState } from './InstanceState.js';
import { ErrorNote } from './ErrorNote.js';
import { Timeline } from './Timeline.js';
import { useInstance } from './useInstance.js';
import { useTimeline } from './useTimeline.js';

const NEXT_STEP: Partial<Record<Instance['state'], string>> = {
  pending: 'The provider is starting it; this page follows it live.',
  running: 'It is running: connect with SSH from the Instances page.',
  failed: 'The launch failed. Read the reason above, then pick another offer in the catalog.',
};

/** A launched instance, followed live through the event stream. */
export function LaunchProgress({ launched }: { launched: Instance }) {
  const { instance, error } = useInstance(launched);
  const { events } = useTimeline(launched.id);
  return (
    <section className="progress" aria-live="polite" aria-label="Launch progress">
      <h2>
        {instance.name} <InstanceState instance={instance} />
      </h2>
      {instance.lastError && (
        <p role="alert" className="error">
          {instance.lastError.message} ({instance.lastError.code})
        </p>
      )}
      <ErrorNote error={error} />
      <p>{NEXT_STEP[instance.state] ?? ''}</p>
      <Timeline events={events} label={`Events of ${instance.name}`} />
      <button
        type="button"
        onClick={() => {
          navigate('/instances');
        }}
      >
        Go to instances
      </button>
    </section>
  );
}
