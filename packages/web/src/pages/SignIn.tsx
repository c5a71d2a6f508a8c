import { useState, type SubmitEvent } from 'react';

interface Props {
  /** Resolves to null when signed in, else the reason to show. */
  readonly onSubmit: (token: string) => Promise<string | null>;
}

export function SignIn({ onSubmit }: Props) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    setBusy(true);
    void onSubmit(token.trim()).then((reason) => {
      setBusy(false);
      setError(reason);
    });
  };

  return (
    <main className="sign-in">
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">cloudplane</h1>
        <p>
          Sign in with an API token. <code>cloudplane serve</code> prints one on first start; an
          admin makes more with <code>cloudplane tokens create</code>.
        </p>
        <label htmlFor="token">API token</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="cpt_…"
          value={token}
          onChange={(e) => {
            setToken(e.target.value);
          }}
          required
          autoFocus
        />
        <button type="submit" disabled={busy || token.trim() === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <p className="hint">The token stays in this tab only and is forgotten on sign-out.</p>
      </form>
    </main>
  );
}
