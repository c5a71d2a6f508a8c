import { usePath } from '../lib/router.js';
import { useSession } from '../session.js';
import { Catalog } from './Catalog.js';
import { Instances } from './Instances.js';
import { Launch } from './Launch.js';
import { Providers } from './Providers.js';

export function Pages() {
  const path = usePath();
  const { me } = useSession();
  switch (path) {
    case '/':
    case '/catalog':
      return <Catalog />;
    case '/launch':
      return <Launch />;
    case '/instances':
      return <Instances />;
    case '/providers':
      return me.role === 'admin' ? (
        <Providers />
      ) : (
        <p role="alert">The providers page is for admins.</p>
      );
    default:
      return <p role="alert">No page at {path}.</p>;
  }
}
