import { useCallback, useEffect, useMemo, useState } from 'react';
import { apiClient, messageOf, ok } from './api/client.js';
import type { Me, Offer } from './api/types.js';
import { EventsProvider } from './components/EventsProvider.js';
import { Layout } from './components/Layout.js';
import { clearToken, storedToken, storeToken } from './lib/session.js';
import { Pages } from './pages/Pages.js';
import { SignIn } from './pages/SignIn.js';
import { SessionContext, type Session } from './session.js';

interface Signed {
  readonly token: string;
  readonly me: Me;
}

/** Checks a token with GET /v1/users/me; the user, or the server's reason. */
async function whoIs(token: string): Promise<Me> {
  return ok(apiClient(token).GET('/v1/users/me'));
}

export function App() {
  const [signed, setSigned] = useState<Signed | null>(null);
  const [restoring, setRestoring] = useState(() => storedToken() !== null);
  const [offer, setOffer] = useState<Offer | null>(null);

  useEffect(() => {
    const token = storedToken();
    if (token === null) return;
    whoIs(token)
      .then((me) => {
        setSigned({ token, me });
      })
      .catch(() => {
        clearToken();
      })
      .finally(() => {
        setRestoring(false);
      });
  }, []);

  const signIn = useCallback(async (token: string) => {
    const me = await whoIs(token);
    storeToken(token);
    setSigned({ token, me });
  }, []);

  const signOut = useCallback(() => {
    clearToken();
    setSigned(null);
    setOffer(null);
  }, []);

  const session = useMemo<Session | null>(
    () =>
      signed && {
        ...signed,
        api: apiClient(signed.token),
        offer,
        pickOffer: setOffer,
        signOut,
      },
    [signed, offer, signOut],
  );

  if (restoring) return <p className="loading">Loading…</p>;
  if (!session) {
    return (
      <SignIn
        onSubmit={(token) =>
          signIn(token).then(
            () => null,
            (err: unknown) => messageOf(err),
          )
        }
      />
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <EventsProvider token={session.token}>
        <Layout>
          <Pages />
        </Layout>
      </EventsProvider>
    </SessionContext.Provider>
  );
}
