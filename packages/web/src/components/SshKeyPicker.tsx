import { useCallback, useEffect, useState } from 'react';
import { messageOf, ok } from '../api/client.js';
import type { SshKey } from '../api/types.js';
import { useSession } from '../session.js';
import { ErrorNote } from './ErrorNote.js';

interface Props {
  readonly selected: string | null;
  readonly onSelect: (id: string) => void;
}

/** The caller's SSH keys (one per launch for now), with a form to add one. */
export function SshKeyPicker({ selected, onSelect }: Props) {
  const { api } = useSession();
  const [keys, setKeys] = useState<SshKey[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [publicKey, setPublicKey] = useState('');
  const [adding, setAdding] = useState(false);

  const load = useCallback(
    () =>
      ok(api.GET('/v1/users/me/ssh-keys')).then(
        (page) => {
          setKeys(page.keys);
          return page.keys;
        },
        (err: unknown) => {
          setError(messageOf(err));
          return [];
        },
      ),
    [api],
  );

  useEffect(() => {
    void load().then((list) => {
      const first = list[0];
      if (selected === null && first) onSelect(first.id);
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- pick a default once, on load
  }, [load]);

  const add = () => {
    setAdding(true);
    setError(null);
    ok(
      api.POST('/v1/users/me/ssh-keys', {
        body: { name: name.trim(), publicKey: publicKey.trim() },
      }),
    ).then(
      (key) => {
        setName('');
        setPublicKey('');
        setAdding(false);
        void load();
        onSelect(key.id);
      },
      (err: unknown) => {
        setAdding(false);
        setError(messageOf(err));
      },
    );
  };

  return (
    <fieldset className="keys">
      <legend>SSH key</legend>
      <p className="hint">One key per launch for now; it is installed for the instance's user.</p>
      {keys?.length === 0 && <p className="muted">You have no SSH key yet: add one below.</p>}
      {keys?.map((key) => (
        <label key={key.id} className="choice">
          <input
            type="radio"
            name="sshKey"
            value={key.id}
            checked={selected === key.id}
            onChange={() => {
              onSelect(key.id);
            }}
          />
          <span>
            {key.name} <code className="muted">{key.fingerprint}</code>
          </span>
        </label>
      ))}
      <details>
        <summary>Add an SSH key</summary>
        <label>
          Key name
          <input
            name="keyName"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
            }}
          />
        </label>
        <label>
          Public key (one OpenSSH line, e.g. the contents of ~/.ssh/id_ed25519.pub)
          <textarea
            name="publicKey"
            rows={3}
            spellCheck={false}
            value={publicKey}
            onChange={(e) => {
              setPublicKey(e.target.value);
            }}
          />
        </label>
        <button
          type="button"
          className="secondary"
          disabled={adding || name.trim() === '' || publicKey.trim() === ''}
          onClick={add}
        >
          {adding ? 'Adding…' : 'Add key'}
        </button>
      </details>
      <ErrorNote error={error} />
    </fieldset>
  );
}
