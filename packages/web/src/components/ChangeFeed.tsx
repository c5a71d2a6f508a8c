import { useEffect, useState } from 'react';
import { messageOf, ok } from '../api/client.js';
import type { Change } from '../api/types.js';
import { feedTail } from '../lib/feed-tail.js';
import { money, when } from '../lib/format.js';
import { useSession } from '../session.js';
import { ErrorNote } from './ErrorNote.js';

const REFRESH_MS = 15_000;

function field(record: unknown, key: string): string | null {
  if (typeof record !== 'object' || record === null || !(key in record)) return null;
  const value = (record as Record<string, unknown>)[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function describe(change: Change): string {
  const before = change.before as unknown;
  const after = change.after as unknown;
  const currency = field(after, 'currency') ?? field(before, 'currency') ?? '';
  switch (change.kind) {
    case 'price':
      return `${money(field(before, 'price') ?? '?', currency)} → ${money(field(after, 'price') ?? '?', currency)}`;
    case 'availability':
      return field(after, 'available') === 'true' ? 'available again' : 'sold out';
    case 'added':
      return `added at ${money(field(after, 'price') ?? '?', currency)}`;
    case 'removed':
      return 'no longer listed';
    default:
      return 'spec changed';
  }
}

/** The newest entries of GET /v1/catalog/changes (optionally only some kinds), refreshed. */
export function ChangeFeed({
  title,
  kinds,
  count = 12,
}: {
  title: string;
  kinds?: readonly Change['kind'][];
  count?: number;
}) {
  const { api } = useSession();
  const [changes, setChanges] = useState<Change[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = () => {
      feedTail(
        (after, limit) =>
          ok(api.GET('/v1/catalog/changes', { params: { query: { after, limit } } })),
        kinds ? 200 : count,
      ).then(
        (tail) => {
          if (!live) return;
          setChanges(tail.filter((c) => !kinds || kinds.includes(c.kind)).slice(0, count));
          setError(null);
        },
        (err: unknown) => {
          if (live) setError(messageOf(err));
        },
      );
    };
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api, kinds, count]);

  return (
    <section className="feed" aria-label={title}>
      <h2>{title}</h2>
      <ErrorNote error={error} />
      {changes === null ? (
        <p className="muted">Loading…</p>
      ) : changes.length === 0 ? (
        <p className="muted">Nothing recent.</p>
      ) : (
        <ul>
          {changes.map((change) => (
            <li key={change.id}>
              <code>{change.typeId}</code> <span>{describe(change)}</span>{' '}
              <time className="muted" dateTime={change.at}>
                {when(change.at)}
              </time>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
