/**
 * Test fixture for ensembles: a small table `nf_loto_ens_test` (game 'g', series N1 and N2, 30
 * weekly draws from 2024-01-01) and finished runs on it with stored cross-validation rows (two
 * windows of h = 2, cutoffs at draws 26 and 28) and forecasts of the two draws after the data.
 * Each member forecasts the actual plus its own fixed offset, so any combination is a sum by hand.
 */
import type { Queryable } from './db.js';
import { insertCvResultRows, insertPredictionRows } from './repos/run-outputs.js';

/** The fixture's table. */
export const ENSEMBLE_TEST_TABLE = 'nf_loto_ens_test';
/** Members' offsets from the actual: member i forecasts y + offset. */
export const ENSEMBLE_MEMBER_OFFSETS = { nhits: 1, mlp: -2, tide: 0.5 } as const;

const DRAWS = 30;
const SERIES = ['N1', 'N2'] as const;
const H = 2;
const CUTOFFS = [25, 27] as const;

/** ISO day of draw t (weekly from 2024-01-01). */
export const ensembleTestDay = (t: number): string =>
  new Date(Date.UTC(2024, 0, 1) + t * 7 * 86_400_000).toISOString().slice(0, 10);

/** The fixture's actual of series `id` at draw t. */
export const ensembleTestY = (id: string, t: number): number => (id === 'N1' ? 10 : 20) + ((t * 7) % 5);

/** The fixture's runs. */
export interface EnsembleFixture {
  /** Finished runs of models nhits, mlp and tide, in that order. */
  readonly memberIds: readonly [string, string, string];
  /** A finished run on another table (members must share one). */
  readonly otherTableId: string;
  /** A cancelled run (members must be finished; not queued, so no worker takes it). */
  readonly cancelledId: string;
}

const spec = (model: string, table: string) => ({
  table_name: table,
  loto: 'g',
  unique_ids: [...SERIES],
  model,
  h: H,
});

const insertRun = async (db: Queryable, model: string, status: string, table: string): Promise<string> => {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO nf_model_runs (table_name, loto, unique_ids, model_name, horizon, status, spec, metrics)
     VALUES ($1, 'g', $2, $3, $4, $5, $6, '{"metric":"mae"}') RETURNING id`,
    [table, [...SERIES], model, H, status, JSON.stringify(spec(model, table))],
  );
  return rows[0]?.id as string;
};

/** Creates the table and the runs; see the module comment. */
export const seedEnsembleMembers = async (db: Queryable): Promise<EnsembleFixture> => {
  await db.query(
    `CREATE TABLE ${ENSEMBLE_TEST_TABLE} (loto TEXT, num INTEGER, unique_id TEXT, ds DATE, y DOUBLE PRECISION)`,
  );
  const values = SERIES.flatMap((id) =>
    Array.from(
      { length: DRAWS },
      (_, t) => `('g', ${t + 1}, '${id}', '${ensembleTestDay(t)}', ${ensembleTestY(id, t)})`,
    ),
  );
  await db.query(`INSERT INTO ${ENSEMBLE_TEST_TABLE} VALUES ${values.join(',')}`);
  const memberIds: string[] = [];
  for (const [model, offset] of Object.entries(ENSEMBLE_MEMBER_OFFSETS)) {
    const id = await insertRun(db, model, 'finished', ENSEMBLE_TEST_TABLE);
    memberIds.push(id);
    const column = model.toUpperCase();
    const evaluated = SERIES.flatMap((uid) =>
      CUTOFFS.flatMap((cutoff) =>
        Array.from({ length: H }, (_, k) => {
          const t = cutoff + 1 + k;
          const y = ensembleTestY(uid, t);
          return {
            unique_id: uid,
            ds: ensembleTestDay(t),
            step: null,
            cutoff: ensembleTestDay(cutoff),
            cutoff_step: null,
            y,
            suffix: '',
            value: y + offset,
          };
        }),
      ),
    );
    await insertCvResultRows(db, id, { model: column, rows: evaluated });
    const forecast = SERIES.flatMap((uid) =>
      Array.from({ length: H }, (_, k) => ({
        unique_id: uid,
        ds: ensembleTestDay(DRAWS + k),
        step: null,
        suffix: '',
        value: ensembleTestY(uid, DRAWS + k) + offset,
      })),
    );
    await insertPredictionRows(db, id, { kind: 'forecast', model: column, rows: forecast });
  }
  const otherTableId = await insertRun(db, 'nhits', 'finished', 'nf_loto_other');
  const cancelledId = await insertRun(db, 'nhits', 'cancelled', ENSEMBLE_TEST_TABLE);
  return { memberIds: memberIds as [string, string, string], otherTableId, cancelledId };
};
