import type { InstanceEvent } from '../api/types.js';
import { clock } from '../lib/format.js';

function describe(event: InstanceEvent): string {
  if (event.kind === 'state' && event.from !== null && event.to !== null) {
    return `${event.from} → ${event.to}`;
  }
  return event.kind;
}

export function Timeline({ events, label }: { events: readonly InstanceEvent[]; label: string }) {
  if (events.length === 0) return <p className="muted">No events yet.</p>;
  return (
    <ol className="timeline" aria-label={label}>
      {events.map((event) => (
        <li key={event.id} className={`event event-${event.kind}`}>
          <time dateTime={event.at}>{clock(event.at)}</time>
          <strong>{describe(event)}</strong>
          {event.message && event.message !== event.to && <span>{event.message}</span>}
        </li>
      ))}
    </ol>
  );
}
