import { useCallback, useEffect, useState } from 'react';
import { messageOf, ok } from '../api/client.js';
import type { InstanceEvent } from '../api/types.js';
import { useSession } from '../session.js';
import { useInstanceEventListener } from './EventsProvider.js';

/**
 * An instance's events: its history from the API, then live ones from the stream. A component
 * that shows another instance mounts anew (its key is the instance id).
 */
export function useTimeline(instanceId: string): {
  events: InstanceEvent[];
  error: string | null;
} {
  const { api } = useSession();
  const [events, setEvents] = useState<InstanceEvent[]>([]);
  const [error, setError] = useState<string | null>(null);

  const merge = useCallback((more: readonly InstanceEvent[]) => {
    setEvents((have) => {
      const seen = new Set(have.map((e) => e.id));
      const added = more.filter((e) => !seen.has(e.id));
      return added.length === 0 ? have : [...have, ...added].sort((a, b) => a.id - b.id);
    });
  }, []);

  useEffect(() => {
    let live = true;
    ok(api.GET('/v1/instances/{id}/events', { params: { path: { id: instanceId } } })).then(
      (page) => {
        if (live) merge(page.events);
      },
      (err: unknown) => {
        if (live) setError(messageOf(err));
      },
    );
    return () => {
      live = false;
    };
  }, [api, instanceId, merge]);

  useInstanceEventListener((event) => {
    if (event.instanceId === instanceId) merge([event]);
  });
  return { events, error };
}
