import { useEffect, useMemo, useState } from 'react';
import { messageOf, ok } from '../api/client.js';
import type { Change, Offer } from '../api/types.js';
import { CatalogFilters, type Sort } from '../components/CatalogFilters.js';
import { ChangeFeed } from '../components/ChangeFeed.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { OfferTable } from '../components/OfferTable.js';
import { NO_FILTERS, toQuery, type Filters } from '../lib/filters.js';
import { byPricePerGpu } from '../lib/format.js';
import { navigate } from '../lib/router.js';
import { useSession } from '../session.js';

const PAGE_SIZE = 50;
const PRICE_KINDS: readonly Change['kind'][] = ['price'];

/**
 * The catalog, a page at a time through the API's keyset cursor: the browser holds one page
 * (50 offers) and the cursors behind it, so 100,000 offers page as fast as 40. The server sorts
 * by price; "price per GPU" sorts the page on screen (the API has no such order).
 */
export function Catalog() {
  const { api, pickOffer } = useSession();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [sort, setSort] = useState<Sort>('price');
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [offers, setOffers] = useState<Offer[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    let live = true;
    ok(api.GET('/v1/offers', { params: { query: toQuery(filters, PAGE_SIZE, cursor) } })).then(
      (page) => {
        if (!live) return;
        setError(null);
        setOffers(page.offers);
        setNext(page.nextCursor);
      },
      (err: unknown) => {
        if (live) setError(messageOf(err));
      },
    );
    return () => {
      live = false;
    };
  }, [api, filters, cursor]);

  const shown = useMemo(
    () => (offers && sort === 'perGpu' ? byPricePerGpu(offers) : offers),
    [offers, sort],
  );

  const apply = (f: Filters) => {
    setFilters(f);
    setCursors([undefined]);
  };

  return (
    <div className="catalog">
      <h1>GPU catalog</h1>
      <CatalogFilters initial={filters} onApply={apply} />
      <div className="toolbar">
        <label>
          Sort by{' '}
          <select
            name="sort"
            value={sort}
            onChange={(e) => {
              setSort(e.target.value as Sort);
            }}
          >
            <option value="price">price (all pages)</option>
            <option value="perGpu">price per GPU (this page)</option>
          </select>
        </label>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            pickOffer(null);
            navigate('/launch');
          }}
        >
          Launch by requirement
        </button>
        <span className="muted" aria-live="polite">
          Page {cursors.length}
          {offers === null ? '' : `, ${String(offers.length)} offers`}
        </span>
      </div>
      <ErrorNote error={error} />
      {shown === null ? (
        <p className="muted">Loading offers…</p>
      ) : (
        <OfferTable
          offers={shown}
          onLaunch={(offer) => {
            pickOffer(offer);
            navigate('/launch');
          }}
        />
      )}
      <nav className="pager" aria-label="Catalog pages">
        <button
          type="button"
          className="secondary"
          disabled={cursors.length === 1}
          onClick={() => {
            setCursors((c) => c.slice(0, -1));
          }}
        >
          ← Previous
        </button>
        <button
          type="button"
          className="secondary"
          disabled={next === null}
          onClick={() => {
            if (next !== null) setCursors((c) => [...c, next]);
          }}
        >
          Next →
        </button>
      </nav>
      <ChangeFeed title="Recent price changes" kinds={PRICE_KINDS} />
    </div>
  );
}
