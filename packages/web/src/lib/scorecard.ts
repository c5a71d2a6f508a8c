import type { Scorecard, ScoreWindow } from '../api/types.js';

/**
 * A scorecard as figures to draw and to read: the same numbers feed the charts and the table
 * that stands in for them (pure; unit-tested under node:test).
 */

export const WINDOWS = [
  { key: 'hour', label: 'Last hour' },
  { key: 'day', label: 'Last day' },
] as const;
export type WindowKey = (typeof WINDOWS)[number]['key'];

/** One measure over both windows: a percentage (0-100) or seconds; null when there is no data. */
export interface Measure {
  readonly label: string;
  readonly unit: '%' | 's';
  readonly values: Readonly<Record<WindowKey, number | null>>;
  /** What a rate is out of (syncs, launches), per window. */
  readonly outOf?: Readonly<Record<WindowKey, string>>;
}

const percent = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

function perWindow<T>(card: Scorecard, pick: (w: ScoreWindow) => T): Record<WindowKey, T> {
  return { hour: pick(card.windows.hour), day: pick(card.windows.day) };
}

const plural = (n: number, one: string, many: string) => `${String(n)} ${n === 1 ? one : many}`;

export function rateMeasures(card: Scorecard): Measure[] {
  const syncs = perWindow(card, (w) => plural(w.catalogSyncs, 'sync', 'syncs'));
  const launches = perWindow(card, (w) => plural(w.launches, 'launch', 'launches'));
  return [
    {
      label: 'Catalog syncs ok',
      unit: '%',
      values: perWindow(card, (w) => percent(w.catalogSyncSuccessRate)),
      outOf: syncs,
    },
    {
      label: 'Launches ok',
      unit: '%',
      values: perWindow(card, (w) => percent(w.createSuccessRate)),
      outOf: launches,
    },
    {
      label: 'Capacity errors',
      unit: '%',
      values: perWindow(card, (w) => percent(w.capacityErrorRate)),
      outOf: launches,
    },
  ];
}

export function timeMeasures(card: Scorecard): Measure[] {
  return [
    {
      label: 'Create to running, median',
      unit: 's',
      values: perWindow(card, (w) => w.timeToRunningSeconds.p50),
    },
    {
      label: 'Create to running, p95',
      unit: 's',
      values: perWindow(card, (w) => w.timeToRunningSeconds.p95),
    },
  ];
}

/** A value as text: "97.5%", "12.3 s", "no data". */
export function valueText(unit: Measure['unit'], value: number | null): string {
  if (value === null) return 'no data';
  if (unit === '%') return `${String(value)}%`;
  return `${value.toFixed(value < 10 ? 1 : 0)} s`;
}

/** A table cell: the value, and what a rate is out of ("100% of 3 launches"). */
export function cellText(measure: Measure, window: WindowKey): string {
  const value = measure.values[window];
  const outOf = measure.outOf?.[window];
  const text = valueText(measure.unit, value);
  return outOf === undefined || value === null ? text : `${text} of ${outOf}`;
}
