import { useEffect, useState } from 'react';
import { messageOf, ok } from '../api/client.js';
import type { Scorecard, ScoreWindow } from '../api/types.js';
import { when } from '../lib/format.js';
import { useSession } from '../session.js';
import { ErrorNote } from './ErrorNote.js';

const REFRESH_MS = 15_000;

/** A rate as a bar (a native <meter>, so screen readers read the number). */
function Rate({
  label,
  value,
  bad = false,
}: {
  label: string;
  value: number | null;
  bad?: boolean;
}) {
  if (value === null) return <span className="muted">{label}: no data</span>;
  const percent = Math.round(value * 100);
  return (
    <label className="rate">
      <span>
        {label}: {percent}%
      </span>
      <meter
        min={0}
        max={1}
        value={value}
        {...(bad ? { low: 0.05, high: 0.2, optimum: 0 } : { low: 0.8, high: 0.95, optimum: 1 })}
      />
    </label>
  );
}

function seconds(value: number | null): string {
  return value === null ? '–' : `${value.toFixed(value < 10 ? 1 : 0)} s`;
}

function Window({ title, w }: { title: string; w: ScoreWindow }) {
  return (
    <div className="window">
      <h3>{title}</h3>
      <Rate
        label={`Catalog syncs ok (of ${String(w.catalogSyncs)})`}
        value={w.catalogSyncSuccessRate}
      />
      <Rate label={`Launches ok (of ${String(w.launches)})`} value={w.createSuccessRate} />
      <Rate label="Capacity errors" value={w.capacityErrorRate} bad />
      <span className="muted">
        Time to running: p50 {seconds(w.timeToRunningSeconds.p50)}, p95{' '}
        {seconds(w.timeToRunningSeconds.p95)}
      </span>
    </div>
  );
}

/** Admins: per credential, the last hour and day (GET /v1/providers/scorecards). */
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
        <article key={card.credentialId} className="scorecard" data-credential={card.name}>
          <h3>
            {card.name} <span className="muted">({card.provider})</span>
          </h3>
          <div className="windows">
            <Window title="Last hour" w={card.windows.hour} />
            <Window title="Last day" w={card.windows.day} />
          </div>
          {card.lastError && (
            <p className="error small-text">
              Last error ({card.lastError.what}, {when(card.lastError.at)}):{' '}
              {card.lastError.message}
            </p>
          )}
        </article>
      ))}
    </section>
  );
}
