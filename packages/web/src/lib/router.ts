import { useSyncExternalStore } from 'react';

/**
 * A tiny history router: the path is the page and the query string its view (the catalog's
 * filters and sort), so a view can be shared and back/forward walks through views. Nothing
 * secret ever goes into the URL.
 */

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/** The query string, with its "?" (or ""). */
export function useSearch(): string {
  return useSyncExternalStore(subscribe, () => window.location.search);
}

/** Goes to `target` (a path, optionally with a query string) as a new history entry. */
export function navigate(target: string): void {
  const { pathname, search } = window.location;
  if (target === pathname + search) return;
  window.history.pushState(null, '', target);
  for (const listener of listeners) listener();
  if (new URL(target, window.location.href).pathname !== pathname) window.scrollTo(0, 0);
}
