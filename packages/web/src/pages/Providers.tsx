import { useCallback, useEffect, useState } from 'react';
import { messageOf, ok } from '../api/client.js';
import type { Credential } from '../api/types.js';
import { ChangeFeed } from '../components/ChangeFeed.js';
import { CredentialRow } from '../components/CredentialRow.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { Scorecards } from '../components/Scorecards.js';
import { useSession } from '../session.js';

const REFRESH_MS = 5_000;

/** Admins: every credential's sync health, "sync now", scorecards and the change feed. */
export function Providers() {
  const { api } = useSession();
  const [credentials, setCredentials] = useState<Credential[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    ok(api.GET('/v1/credentials')).then(
      (page) => {
        setCredentials(page.credentials);
        setError(null);
      },
      (err: unknown) => {
        setError(messageOf(err));
      },
    );
  }, [api]);

  useEffect(() => {
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      clearInterval(timer);
    };
  }, [load]);

  return (
    <div className="providers">
      <h1>Providers</h1>
      <ErrorNote error={error} />
      {credentials === null ? (
        <p className="muted">Loading…</p>
      ) : credentials.length === 0 ? (
        <p className="muted">
          No credentials: add one with <code>cloudplane credentials add</code>.
        </p>
      ) : (
        <table className="stack">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Provider</th>
              <th scope="col">Catalog sync</th>
              <th scope="col">Last sync</th>
              <th scope="col">Instance sync</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {credentials.map((c) => (
              <CredentialRow key={c.id} credential={c} onSynced={load} />
            ))}
          </tbody>
        </table>
      )}
      <Scorecards />
      <ChangeFeed title="Change feed" count={25} />
    </div>
  );
}
