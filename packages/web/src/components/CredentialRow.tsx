import { useState } from 'react';
import { messageOf, ok } from '../api/client.js';
import type { Credential } from '../api/types.js';
import { when } from '../lib/format.js';
import { useSession } from '../session.js';

const TONE = { ok: 'good', pending: 'warn', degraded: 'bad' } as const;

export function CredentialRow({
  credential,
  onSynced,
}: {
  credential: Credential;
  onSynced: () => void;
}) {
  const { api } = useSession();
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { sync } = credential;

  const syncNow = () => {
    setBusy(true);
    setNote(null);
    ok(api.POST('/v1/credentials/{id}/sync', { params: { path: { id: credential.id } } })).then(
      () => {
        setBusy(false);
        setNote('Sync queued');
        onSynced();
      },
      (err: unknown) => {
        setBusy(false);
        setNote(messageOf(err));
      },
    );
  };

  return (
    <tr data-credential={credential.name}>
      <td data-label="Name">
        <strong>{credential.name}</strong>
      </td>
      <td data-label="Provider">{credential.provider}</td>
      <td data-label="Catalog sync">
        <span className={`badge ${TONE[sync.state]}`}>{sync.state}</span>
        {sync.reason && <div className="error small-text">{sync.reason}</div>}
      </td>
      <td data-label="Last sync">
        {when(sync.lastSyncAt)}
        {sync.state === 'degraded' && (
          <div className="muted small-text">last good: {when(sync.lastGoodSyncAt)}</div>
        )}
      </td>
      <td data-label="Instance sync">
        {credential.instancesSyncError === null ? (
          <span className="badge good">ok</span>
        ) : (
          <span className="error small-text">{credential.instancesSyncError}</span>
        )}
      </td>
      <td>
        <button type="button" className="small" disabled={busy} onClick={syncNow}>
          Sync now
        </button>
        {note && (
          <div className="muted small-text" role="status">
            {note}
          </div>
        )}
      </td>
    </tr>
  );
}
