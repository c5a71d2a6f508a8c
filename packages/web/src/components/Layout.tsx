import type { MouseEvent, ReactNode } from 'react';
import { navigate, usePath } from '../lib/router.js';
import { useSession } from '../session.js';
import { useEvents } from './EventsProvider.js';

function NavLink({ to, children }: { to: string; children: ReactNode }) {
  const path = usePath();
  const current = path === to || (to === '/catalog' && path === '/');
  const go = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={go} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { me, signOut } = useSession();
  const { state } = useEvents();
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">cloudplane</span>
        <nav aria-label="Pages">
          <NavLink to="/catalog">Catalog</NavLink>
          <NavLink to="/instances">Instances</NavLink>
          {me.role === 'admin' && <NavLink to="/providers">Providers</NavLink>}
        </nav>
        <span className={`stream stream-${state}`} title="instance event stream">
          {state === 'live' ? '● live' : `○ ${state}`}
        </span>
        <span className="who">
          {me.name} ({me.role})
        </span>
        <button type="button" className="small" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
