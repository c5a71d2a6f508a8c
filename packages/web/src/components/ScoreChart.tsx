import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ActiveDataPoint,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { WINDOWS, valueText, type Measure } from '../lib/scorecard.js';

/**
 * A horizontal bar chart of some scorecard measures, the last hour beside the last day
 * (Chart.js on a canvas; loaded only on the providers page). Colours come from the page's CSS
 * variables and follow a switch between light and dark. The canvas takes the keyboard focus:
 * arrow keys step through the bars, each shown in the tooltip and read out by screen readers;
 * the table that Scorecards renders beside it carries every figure too.
 */

// Only what a bar chart needs, so that the bundle holds no other chart type.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

type BarConfig = ChartConfiguration<'bar', (number | null)[], string>;

interface Props {
  readonly title: string;
  readonly measures: readonly Measure[];
  readonly unit: Measure['unit'];
}

const SERIES_VARS = ['--chart-hour', '--chart-day'] as const;

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function configOf({ measures, unit }: Props): BarConfig {
  const text = cssVar('--text');
  const muted = cssVar('--muted');
  const line = cssVar('--line');
  return {
    type: 'bar',
    data: {
      labels: measures.map((m) => m.label),
      datasets: WINDOWS.map((w, i) => ({
        label: w.label,
        data: measures.map((m) => m.values[w.key]),
        backgroundColor: cssVar(SERIES_VARS[i] ?? '--accent'),
        borderRadius: 3,
      })),
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      color: text,
      scales: {
        x: {
          beginAtZero: true,
          ...(unit === '%' ? { max: 100 } : {}),
          title: { display: true, text: unit === '%' ? 'percent' : 'seconds', color: muted },
          ticks: { color: muted, callback: (v) => `${String(v)}${unit === '%' ? '%' : ' s'}` },
          grid: { color: line },
        },
        y: { ticks: { color: text }, grid: { display: false } },
      },
      plugins: {
        legend: { position: 'bottom', labels: { color: text, boxWidth: 12 } },
        tooltip: {
          callbacks: {
            label: (item) =>
              `${item.dataset.label ?? ''}: ${valueText(unit, typeof item.raw === 'number' ? item.raw : null)}`,
          },
        },
      },
    },
  };
}

/** Every bar that has a value, in reading order: measure by measure, hour then day. */
function barsOf(measures: readonly Measure[]): ActiveDataPoint[] {
  return measures.flatMap((m, index) =>
    WINDOWS.flatMap((w, datasetIndex) =>
      m.values[w.key] === null ? [] : [{ datasetIndex, index }],
    ),
  );
}

const STEP: Record<string, (at: number, count: number) => number> = {
  ArrowRight: (at, n) => Math.min(at + 1, n - 1),
  ArrowDown: (at, n) => Math.min(at + 1, n - 1),
  ArrowLeft: (at) => Math.max(at - 1, 0),
  ArrowUp: (at) => Math.max(at - 1, 0),
  Home: () => 0,
  End: (_at, n) => n - 1,
};

export default function ScoreChart(props: Props) {
  const { title, measures, unit } = props;
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'bar', (number | null)[], string> | null>(null);
  const [at, setAt] = useState<number | null>(null);
  const captionId = useId();
  const hintId = useId();

  // One chart per canvas; new figures or a colour scheme switch redraw it in place.
  useEffect(() => {
    if (!canvas.current) return;
    const drawn = new Chart(canvas.current, configOf(props));
    chart.current = drawn;
    return () => {
      drawn.destroy();
      chart.current = null;
    };
    // Created once; the effect below keeps it current.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const drawn = chart.current;
    if (!drawn) return;
    const redraw = () => {
      const next = configOf({ title, measures, unit });
      drawn.data = next.data;
      if (next.options) drawn.options = next.options;
      drawn.update('none');
    };
    redraw();
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    scheme.addEventListener('change', redraw);
    return () => {
      scheme.removeEventListener('change', redraw);
    };
  }, [title, measures, unit]);

  const bars = barsOf(measures);
  const show = (index: number | null) => {
    setAt(index);
    const drawn = chart.current;
    if (!drawn) return;
    const active = index === null ? [] : [bars[index]].filter((b) => b !== undefined);
    drawn.setActiveElements(active);
    drawn.tooltip?.setActiveElements(active, { x: 0, y: 0 });
    drawn.update('none');
  };
  const onKey = (event: KeyboardEvent<HTMLCanvasElement>) => {
    if (event.key === 'Escape') {
      show(null);
      return;
    }
    const step = STEP[event.key];
    if (!step || bars.length === 0) return;
    event.preventDefault();
    show(step(at ?? -1, bars.length));
  };

  const current = at === null ? undefined : bars[at];
  const measure = current && measures[current.index];
  const span = current && WINDOWS[current.datasetIndex];
  return (
    <figure className="chart">
      <figcaption id={captionId}>{title}</figcaption>
      <div className="chart-box" style={{ height: `${String(56 + measures.length * 44)}px` }}>
        <canvas
          ref={canvas}
          role="img"
          tabIndex={0}
          aria-labelledby={captionId}
          aria-roledescription="bar chart"
          aria-describedby={hintId}
          onKeyDown={onKey}
          onFocus={() => {
            if (bars.length > 0) show(at ?? 0);
          }}
          onBlur={() => {
            show(null);
          }}
        />
      </div>
      <p id={hintId} className="sr-only">
        Arrow keys step through the bars; the table after the charts lists every figure.
      </p>
      <p className="sr-only" aria-live="polite">
        {measure && span
          ? `${span.label}, ${measure.label}: ${valueText(unit, measure.values[span.key])}`
          : ''}
      </p>
    </figure>
  );
}
