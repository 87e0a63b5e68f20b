/** The panels benches train on, as long rows and as per-series arrays for the baselines. */
import { AIR_PASSENGERS } from '../../packages/engine/test/fixtures/air-passengers.js';
import type { BenchSeries } from './baselines.js';

/** The loto6 sample the project ships (a copy of the shared cp932 CSV). */
export const LOTO6_SAMPLE = new URL('../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url).pathname;

/** A bench panel: rows for the engine, series for the baselines. */
export interface BenchPanel {
  readonly rows: { unique_id: string; ds: string; y: number }[];
  readonly series: BenchSeries[];
}

const fromSeries = (series: BenchSeries[]): BenchPanel => ({
  series,
  rows: series.flatMap((s) => s.y.map((y, i) => ({ unique_id: s.id, ds: String(s.ds[i]), y }))),
});

/**
 * NeuralForecast's AirPassengersPanel: Airline1 = AirPassengers, Airline2 = AirPassengers + 300,
 * month-end dates 1949-01-31..1960-12-31 (`freq: 'M'`).
 */
export const airPassengersPanel = (): BenchPanel => {
  const ds = AIR_PASSENGERS.map((_, i) => new Date(Date.UTC(1949, i + 1, 0)).toISOString().slice(0, 10));
  return fromSeries([
    { id: 'Airline1', ds, y: [...AIR_PASSENGERS] },
    { id: 'Airline2', ds, y: AIR_PASSENGERS.map((y) => y + 300) },
  ]);
};

/**
 * The loto6 panel through the project's own loader (import into an in-memory PGlite, then
 * `loadPanel` of nf_loto_final): 7 series (N1..N6, B1) over the draws, `freq: 'irregular'`.
 */
export const loto6Panel = async (file = LOTO6_SAMPLE): Promise<BenchPanel> => {
  const { importFile, loadPanel, openPglite } = await import('../../packages/store/src/index.js');
  const db = await openPglite();
  try {
    await importFile(db, { file, game: 'loto6' });
    const panel = await loadPanel(db, { table: 'nf_loto_final', loto: 'loto6', columns: [] });
    return fromSeries(
      panel.series.map((s) => ({
        id: s.uniqueId,
        ds: panel.ds.slice(s.start, s.start + s.length),
        y: Array.from(panel.y.subarray(s.start, s.start + s.length)),
      })),
    );
  } finally {
    await db.close();
  }
};
