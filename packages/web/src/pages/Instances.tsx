import { useEffect, useState } from 'react';
import { messageOf, ok } from '../api/client.js';
import type { Instance } from '../api/types.js';
import { useInstanceEventListener } from '../components/EventsProvider.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { InstanceCard } from '../components/InstanceCard.js';
import { useSession } from '../session.js';

/** Your instances (admins: everyone's), kept live by the event stream; no reloads. */
export function Instances() {
  const { api, me } = useSession();
  const [instances, setInstances] = useState<Instance[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    ok(api.GET('/v1/instances', { params: { query: { limit: 100 } } })).then(
      (page) => {
        if (!live) return;
        setInstances(page.instances);
        setNext(page.nextCursor);
      },
      (err: unknown) => {
        if (live) setError(messageOf(err));
      },
    );
    return () => {
      live = false;
    };
  }, [api]);

  // An instance launched elsewhere (another tab, the CLI) joins the list when its first event
  // arrives; the cards follow their own instances.
  useInstanceEventListener((event) => {
    if (instances === null || instances.some((i) => i.id === event.instanceId)) return;
    ok(api.GET('/v1/instances/{id}', { params: { path: { id: event.instanceId } } })).then(
      (instance) => {
        setInstances((list) =>
          list && !list.some((i) => i.id === instance.id) ? [instance, ...list] : list,
        );
      },
      () => undefined,
    );
  });

  const more = () => {
    if (next === null) return;
    ok(api.GET('/v1/instances', { params: { query: { limit: 100, cursor: next } } })).then(
      (page) => {
        setInstances((list) => [...(list ?? []), ...page.instances]);
        setNext(page.nextCursor);
      },
      (err: unknown) => {
        setError(messageOf(err));
      },
    );
  };

  return (
    <div className="instances">
      <h1>{me.role === 'admin' ? 'Instances (all users)' : 'Your instances'}</h1>
      <ErrorNote error={error} />
      {instances === null ? (
        <p className="muted">Loading…</p>
      ) : instances.length === 0 ? (
        <p className="muted">No instances yet: launch one from the catalog.</p>
      ) : (
        instances.map((instance) => <InstanceCard key={instance.id} initial={instance} />)
      )}
      {next !== null && (
        <button type="button" className="secondary" onClick={more}>
          Show more
        </button>
      )}
    </div>
  );
}
