import {
  createContext,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { followEvents, type StreamState } from '../api/events.js';
import type { InstanceEvent } from '../api/types.js';

type Listener = (event: InstanceEvent) => void;

interface Events {
  readonly state: StreamState;
  readonly subscribe: (listener: Listener) => () => void;
}

const EventsContext = createContext<Events | null>(null);

/** One GET /v1/events stream per signed-in tab, shared by every page that listens. */
export function EventsProvider({ token, children }: { token: string; children: ReactNode }) {
  const [state, setState] = useState<StreamState>('connecting');
  const listeners = useRef(new Set<Listener>());

  useEffect(() => {
    const abort = new AbortController();
    void followEvents({
      token,
      signal: abort.signal,
      onState: setState,
      onEvent: (event) => {
        for (const listener of listeners.current) listener(event);
      },
    });
    return () => {
      abort.abort();
    };
  }, [token]);

  const value = useMemo<Events>(
    () => ({
      state,
      subscribe: (listener) => {
        listeners.current.add(listener);
        return () => {
          listeners.current.delete(listener);
        };
      },
    }),
    [state],
  );
  return <EventsContext.Provider value={value}>{children}</EventsContext.Provider>;
}

export function useEvents(): Events {
  const events = useContext(EventsContext);
  if (!events) throw new Error('useEvents outside EventsProvider');
  return events;
}

/** Calls `listener` for every live instance event while the component is mounted. */
export function useInstanceEventListener(listener: Listener): void {
  const { subscribe } = useEvents();
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(
    () =>
      subscribe((event) => {
        latest.current(event);
      }),
    [subscribe],
  );
}
