/**
 * Charts as inline SVG strings for reports: drawn here, from numbers, so a report needs no script,
 * no charting library and no network to show them. Labels are escaped like all report text.
 */
import { esc, num } from './html.js';

/** One line of a {@link lineChart}. */
export interface LineSeries {
  readonly name: string;
  readonly color: string;
  /** y per x label (same order as the chart's `x`); null leaves a gap. */
  readonly y: readonly (number | null)[];
  /** Dashed (forecasts) or solid (actuals). */
  readonly dashed?: boolean;
}

const WIDTH = 900;
const HEIGHT = 300;
const PAD = { left: 60, right: 16, top: 24, bottom: 40 };

const extent = (values: readonly number[]): [number, number] => {
  const low = Math.min(...values);
  const high = Math.max(...values);
  if (low === high) return [low - 1, high + 1];
  const margin = (high - low) * 0.05;
  return [low - margin, high + margin];
};

/** A line chart over categorical x labels (dates or steps), with a legend and y ticks. */
export const lineChart = (options: {
  readonly title: string;
  readonly x: readonly string[];
  readonly series: readonly LineSeries[];
}): string => {
  const { x, series } = options;
  const values = series.flatMap((s) => s.y.filter((v): v is number => v !== null && Number.isFinite(v)));
  if (x.length === 0 || values.length === 0) return '';
  const [low, high] = extent(values);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const px = (i: number): number => PAD.left + (x.length === 1 ? plotW / 2 : (i / (x.length - 1)) * plotW);
  const py = (v: number): number => PAD.top + plotH - ((v - low) / (high - low)) * plotH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => low + f * (high - low));
  const grid = ticks
    .map(
      (t) =>
        `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${py(t).toFixed(1)}" y2="${py(t).toFixed(1)}" stroke="#e9ecef"/>` +
        `<text x="${PAD.left - 6}" y="${(py(t) + 4).toFixed(1)}" text-anchor="end" font-size="11">${esc(num(t))}</text>`,
    )
    .join('');
  const every = Math.max(1, Math.ceil(x.length / 8));
  const xLabels = x
    .map((label, i) =>
      i % every === 0
        ? `<text x="${px(i).toFixed(1)}" y="${HEIGHT - PAD.bottom + 16}" text-anchor="middle" font-size="11">${esc(label)}</text>`
        : '',
    )
    .join('');
  const lines = series
    .map((s) => {
      const segments: string[] = [];
      let current: string[] = [];
      s.y.forEach((v, i) => {
        if (v === null || !Number.isFinite(v)) {
          if (current.length > 0) segments.push(current.join(' '));
          current = [];
          return;
        }
        current.push(`${px(i).toFixed(1)},${py(v).toFixed(1)}`);
      });
      if (current.length > 0) segments.push(current.join(' '));
      const dash = s.dashed === true ? ' stroke-dasharray="6 4"' : '';
      const dots = segments.length > 0 && segments.every((seg) => !seg.includes(' '));
      return segments
        .map((points) =>
          dots
            ? points
                .split(' ')
                .map((p) => {
                  const [cx, cy] = p.split(',');
                  return `<circle cx="${cx}" cy="${cy}" r="3" fill="${esc(s.color)}"/>`;
                })
                .join('')
            : `<polyline fill="none" stroke="${esc(s.color)}" stroke-width="2"${dash} points="${points}"/>`,
        )
        .join('');
    })
    .join('');
  const legend = series
    .map(
      (s, i) =>
        `<rect x="${PAD.left + i * 170}" y="6" width="12" height="12" fill="${esc(s.color)}"/>` +
        `<text x="${PAD.left + i * 170 + 16}" y="16" font-size="12">${esc(s.name)}</text>`,
    )
    .join('');
  return `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${esc(options.title)}"><title>${esc(options.title)}</title>${grid}${xLabels}${lines}${legend}</svg>`;
};

/** One bar of a {@link barChart}. */
export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Baselines are drawn grey, runs that beat chance green, the rest blue. */
  readonly tone: 'baseline' | 'beats' | 'run';
}

const TONES = { baseline: '#adb5bd', beats: '#2f9e44', run: '#4c6ef5' } as const;

/** Horizontal bars (lower is better for every error metric), labelled with their values. */
export const barChart = (options: { readonly title: string; readonly bars: readonly Bar[] }): string => {
  const bars = options.bars.filter((b) => Number.isFinite(b.value));
  if (bars.length === 0) return '';
  const rowH = 20;
  const labelW = 260;
  const height = bars.length * rowH + 12;
  const high = Math.max(...bars.map((b) => Math.abs(b.value)), Number.MIN_VALUE);
  const plotW = WIDTH - labelW - 90;
  const rows = bars
    .map((b, i) => {
      const y = 6 + i * rowH;
      const w = Math.max(1, (Math.abs(b.value) / high) * plotW);
      const label = b.label.length > 40 ? `${b.label.slice(0, 39)}…` : b.label;
      return (
        `<text x="${labelW - 6}" y="${y + 13}" text-anchor="end" font-size="11">${esc(label)}</text>` +
        `<rect x="${labelW}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 5}" fill="${TONES[b.tone]}"/>` +
        `<text x="${(labelW + w + 4).toFixed(1)}" y="${y + 13}" font-size="11">${esc(num(b.value))}</text>`
      );
    })
    .join('');
  return `<svg viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${esc(options.title)}"><title>${esc(options.title)}</title>${rows}</svg>`;
};
