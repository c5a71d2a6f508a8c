import { useEffect, useMemo, useState } from 'react';
import { messageOf, ok } from '../api/client.js';
import type { Change, Offer, OfferRegion } from '../api/types.js';
import { CatalogFilters } from '../components/CatalogFilters.js';
import { ChangeFeed } from '../components/ChangeFeed.js';
import { ErrorNote } from '../components/ErrorNote.js';
import { OfferTable } from '../components/OfferTable.js';
import { SORTS, searchOf, toQuery, viewFromSearch, type CatalogView } from '../lib/filters.js';
import { navigate, useSearch } from '../lib/router.js';
import { useSession } from '../session.js';

const PAGE_SIZE = 50;
const PRICE_KINDS: readonly Change['kind'][] = ['price'];
const SORT_NAMES = { price: 'price', pricePerGpu: 'price per GPU' } as const;

/** The providers and regions on offer, for the filters' choices; null until they arrive. */
function usePlaces(): readonly OfferRegion[] | null {
  const { api } = useSession();
  const [places, setPlaces] = useState<OfferRegion[] | null>(null);
  useEffect(() => {
    let live = true;
    ok(api.GET('/v1/catalog/regions')).then(
      (page) => {
        if (live) setPlaces(page.regions);
      },
      // Without them the filters still work: each select offers "any" and the URL's value.
      () => {
        if (live) setPlaces([]);
      },
    );
    return () => {
      live = false;
    };
  }, [api]);
  return places;
}

/**
 * The catalog. Its filters and sort live in the URL's query string (shareable; back and forward
 * walk through them); the token never does. The server sorts and pages by its keyset cursor:
 * the browser holds one page (50 offers) and the cursors behind it, so 100,000 offers page as
 * fast as 40.
 */
export function Catalog() {
  const search = useSearch();
  const view = useMemo(() => viewFromSearch(search), [search]);
  const places = usePlaces();
  const show = (next: CatalogView) => {
    navigate(`/catalog${searchOf(next)}`);
  };
  return (
    <div className="catalog">
      <h1>GPU catalog</h1>
      {/* Keyed by the URL, so that back/forward resets the form and the pages to that view. */}
      <CatalogFilters
        key={`filters${search}`}
        initial={view.filters}
        places={places}
        onApply={(filters) => {
          show({ ...view, filters });
        }}
      />
      <OfferPages
        key={`pages${search}`}
        view={view}
        onSort={(sort) => {
          show({ ...view, sort });
        }}
      />
      <ChangeFeed title="Recent price changes" kinds={PRICE_KINDS} />
    </div>
  );
}

function OfferPages({
  view,
  onSort,
}: {
  view: CatalogView;
  onSort: (sort: CatalogView['sort']) => void;
}) {
  const { api, pickOffer } = useSession();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [offers, setOffers] = useState<Offer[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => {
    let live = true;
    ok(api.GET('/v1/offers', { params: { query: toQuery(view, PAGE_SIZE, cursor) } })).then(
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
  }, [api, view, cursor]);

  return (
    <>
      <div className="toolbar">
        <label>
          Sort by{' '}
          <select
            name="sort"
            value={view.sort}
            onChange={(e) => {
              const sort = SORTS.find((s) => s === e.target.value);
              if (sort) onSort(sort);
            }}
          >
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {SORT_NAMES[s]}
              </option>
            ))}
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
      {offers === null ? (
        <p className="muted">Loading offers…</p>
      ) : (
        <OfferTable
          offers={offers}
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
    </>
  );
}
