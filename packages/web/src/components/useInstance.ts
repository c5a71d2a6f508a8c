import { useEffect, useState } from 'react';
import { messageOf, ok } from '../api/client.js';
import type { Instance } from '../api/types.js';
import { useSession } from '../session.js';
import { useInstanceEventListener } from './EventsProvider.js';

/** One instance, read again whenever the event stream says it changed. */
export function useInstance(initial: Instance): { instance: Instance; error: string | null } {
  const { api } = useSession();
  const [instance, setInstance] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (version === 0) return;
    let live = true;
    ok(api.GET('/v1/instances/{id}', { params: { path: { id: initial.id } } })).then(
      (fresh) => {
        if (live) setInstance(fresh);
      },
      (err: unknown) => {
        if (live) setError(messageOf(err));
      },
    );
    return () => {
      live = false;
    };
  }, [api, initial.id, version]);

  useInstanceEventListener((event) => {
    if (event.instanceId === initial.id) setVersion((v) => v + 1);
  });
  return { instance, error };
}
