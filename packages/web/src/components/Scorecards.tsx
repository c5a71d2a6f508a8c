import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { messageOf, ok } from '../api/client.js';
import type { Scorecard } from '../api/types.js';
import { when } from '../lib/format.js';
import { WINDOWS, cellText, rateMeasures, timeMeasures } from '../lib/scorecard.js';
import { useSession } from '../session.js';
import { ErrorNote } from './ErrorNote.js';

const REFRESH_MS = 15_000;

// The charting library loads with the providers page, not with the dashboard's first page.
const ScoreChart = lazy(() => import('./ScoreChart.js'));

function Card({ card }: { card: Scorecard }) {
  const rates = useMemo(() => rateMeasures(card), [card]);
  const times = useMemo(() => timeMeasures(card), [card]);
  const fallback = <p className="muted">Loading chart…</p>;
  return (
    <article className="scorecard" data-credential={card.name}>
      <h3>
        {card.name} <span className="muted">({card.provider})</span>
      </h3>
      <div className="charts">
        <Suspense fallback={fallback}>
          <ScoreChart title={`${card.name}: success and error rates`} measures={rates} unit="%" />
          <ScoreChart
            title={`${card.name}: time from create to running`}
            measures={times}
            unit="s"
          />
        </Suspense>
      </div>
      {/* What the charts show, for screen readers (and anyone who wants the exact figures). */}
      <table className="sr-only">
        <caption>
          Scorecard of {card.name} ({card.provider})
        </caption>
        <thead>
          <tr>
            <th scope="col">Measure</th>
            {WINDOWS.map((w) => (
              <th key={w.key} scope="col">
                {w.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[...rates, ...times].map((m) => (
            <tr key={m.label}>
              <th scope="row">{m.label}</th>
              {WINDOWS.map((w) => (
                <td key={w.key}>{cellText(m, w.key)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {card.lastError && (
        <p className="error small-text">
          Last error ({card.lastError.what}, {when(card.lastError.at)}): {card.lastError.message}
        </p>
      )}
    </article>
  );
}

/** Admins: per credential, the last hour and day (GET /v1/providers/scorecards), as charts. */
export function Scorecards() {
  const { api } = useSession();
  const [cards, setCards] = useState<Scorecard[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = () => {
      ok(api.GET('/v1/providers/scorecards')).then(
        (page) => {
          if (!live) return;
          setCards(page.scorecards);
          setError(null);
        },
        (err: unknown) => {
          if (live) setError(messageOf(err));
        },
      );
    };
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [api]);

  return (
    <section className="scorecards" aria-label="Scorecards">
      <h2>Scorecards</h2>
      <ErrorNote error={error} />
      {cards?.map((card) => (
        <Card key={card.credentialId} card={card} />
      ))}
    </section>
  );
}
