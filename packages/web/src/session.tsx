import { createContext, useContext } from 'react';
import type { Api } from './api/client.js';
import type { Me, Offer } from './api/types.js';

export interface Session {
  readonly token: string;
  readonly me: Me;
  readonly api: Api;
  /** The offer the Launch page starts from (picked in the catalog); null: by requirement. */
  readonly offer: Offer | null;
  readonly pickOffer: (offer: Offer | null) => void;
  readonly signOut: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in dashboard');
  return session;
}
