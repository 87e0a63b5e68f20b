import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, ConflictError, GAMES, NotFoundError, seriesIds } from '@nflab/contracts';
import { buildFeatures, saveDraws, synthesizeDraws, type Queryable } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import type { Draw } from '../src/loto/draw.js';

// A minimal long table: the columns features read, the carry-over, and a text column that must
// stay out of the feature set.
const createTable = (db: Queryable, table: string): Promise<void> =>
  db.exec(
    `CREATE TABLE ${table} (loto TEXT, num INTEGER, ds DATE, unique_id TEXT, y INTEGER, co BIGINT, note TEXT,
     PRIMARY KEY (loto, num, unique_id))`,
  );

const insertDraws = async (db: Queryable, table: string, draws: readonly Draw[]): Promise<void> => {
  const rows = draws.flatMap((d) =>
    seriesIds(GAMES[d.game]).map((id, i) => [
      d.game,
      d.num,
      d.ds,
      id,
      [...d.main, ...d.bonus][i],
      d.carryOver,
    ]),
  );
  const column = (c: number): unknown[] => rows.map((r) => r[c]);
  await db.query(
    `INSERT INTO ${table} (loto, num, ds, unique_id, y, co, note)
     SELECT *, 'x' FROM unnest($1::text[], $2::integer[], $3::date[], $4::text[], $5::integer[], $6::bigint[])`,
    [0, 1, 2, 3, 4, 5].map(column),
  );
};

const draw = (num: number, ds: string, main: number[], bonus: number): Draw => ({
  game: 'loto6',
  num,
  ds,
  main,
  bonus: [bonus],
  carryOver: 0,
  tiers: [],
});

type Row = Record<string, unknown>;

const featureRows = async (db: Queryable, view: string, where = 'TRUE'): Promise<Row[]> =>
  (await db.query<Row>(`SELECT * FROM ${view} WHERE ${where} ORDER BY loto, num, unique_id`)).rows;

const pick = (row: Row | undefined, prefix: string): Row =>
  Object.fromEntries(Object.entries(row ?? {}).filter(([k]) => k.startsWith(prefix)));

describe.each(await testDbKinds())('buildFeatures on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(async () => {
    await db.close();
  });

  test('hand-checked values on a tiny table', async () => {
    await createTable(db, 'nf_loto_tiny');
    await insertDraws(db, 'nf_loto_tiny', [
      draw(1, '2024-02-08', [1, 2, 3, 4, 5, 6], 7),
      draw(2, '2024-02-12', [3, 10, 11, 12, 13, 14], 1), // 振替休日
      draw(3, '2024-02-15', [2, 3, 20, 21, 22, 24], 10),
      draw(4, '2024-02-19', [1, 2, 3, 4, 5, 43], 6),
    ]);
    const result = await buildFeatures(db, { table: 'nf_loto_tiny', today: '2024-06-01' });
    expect(result.view).toBe('nf_loto_tiny_features');
    expect(result.columns.hist).toContain('hist_y_roll_mean_10');
    expect(result.holidays).toMatchObject({ from: '2024-01-01', to: '2025-12-31' });

    const rows = await featureRows(db, 'nf_loto_tiny_features');
    const at = (num: number, id: string): Row | undefined =>
      rows.find((r) => r.num === num && r.unique_id === id);
    // Base columns are all kept.
    expect(at(2, 'N1')).toMatchObject({ loto: 'loto6', ds: '2024-02-12', y: 3, note: 'x' });
    // N1: y = 1, 3, 2, 1.
    expect([1, 2, 3, 4].map((n) => at(n, 'N1')?.hist_y_lag_1)).toEqual([null, 1, 3, 2]);
    expect([1, 2, 3, 4].map((n) => at(n, 'N1')?.hist_y_roll_mean_5)).toEqual([null, 1, 2, 2]);
    // Previous draw's mains: sums 21, 63, 92; odd counts 3, 3, 2.
    expect([1, 2, 3, 4].map((n) => at(n, 'B1')?.hist_draw_sum)).toEqual([null, 21, 63, 92]);
    expect([1, 2, 3, 4].map((n) => at(n, 'N3')?.hist_draw_odd_count)).toEqual([null, 3, 3, 2]);
    expect([1, 2, 3, 4].map((n) => at(n, 'N3')?.hist_draw_even_count)).toEqual([null, 3, 3, 4]);
    // Gap of the previous value: N1 took 3 at draw 2, last among mains at draw 1 → 1; 2 at draw 3,
    // last at draw 1 → 2. B1 took 7 (never a main) → null; 1 at draw 2 (main at draw 1) → 1.
    expect([1, 2, 3, 4].map((n) => at(n, 'N1')?.hist_gap)).toEqual([null, null, 1, 2]);
    expect([1, 2, 3, 4].map((n) => at(n, 'B1')?.hist_gap)).toEqual([null, null, 1, 1]);
    expect(pick(at(3, 'B1'), 'stat_')).toEqual({ stat_position: 7, stat_game: 1, stat_is_bonus: 1 });
    expect(pick(at(3, 'N6'), 'stat_')).toEqual({ stat_position: 6, stat_game: 1, stat_is_bonus: 0 });
    expect(pick(at(2, 'N1'), 'futr_')).toEqual({
      futr_weekday: 1,
      futr_month: 2,
      futr_day_of_year: 43,
      futr_is_holiday: 1,
      futr_days_since_prev_draw: 4,
    });
    expect(at(1, 'N1')?.futr_is_holiday).toBe(0);
    expect(at(1, 'N1')?.futr_days_since_prev_draw).toBeNull();
    // A missing value breaks no rule of the view: its successor simply has no lag and no gap.
    await db.query(`UPDATE nf_loto_tiny SET y = NULL WHERE num IN (2, 3) AND unique_id = 'N1'`);
    const afterNull = await featureRows(db, 'nf_loto_tiny_features', `num = 4 AND unique_id = 'N1'`);
    expect(pick(afterNull[0], 'hist_y_')).toMatchObject({ hist_y_lag_1: null, hist_y_roll_mean_5: 1 });
    expect(afterNull[0]?.hist_gap).toBeNull();
    await db.query(`UPDATE nf_loto_tiny SET y = 3 WHERE num = 2 AND unique_id = 'N1'`);
    await db.query(`UPDATE nf_loto_tiny SET y = 2 WHERE num = 3 AND unique_id = 'N1'`);
    const holiday = await db.query<{ name: string }>(
      `SELECT name FROM nflab_jp_holidays WHERE ds = '2024-02-12'`,
    );
    expect(holiday.rows).toEqual([{ name: '振替休日' }]);
  });

  test('every derived column is numeric; text columns are not features', async () => {
    const result = await buildFeatures(db, { table: 'nf_loto_tiny', rollingWindows: [3] });
    const { rows } = await db.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns
       WHERE table_name = 'nf_loto_tiny_features' AND table_schema = current_schema() ORDER BY ordinal_position`,
    );
    const derived = [...result.columns.hist, ...result.columns.stat, ...result.columns.futr];
    expect(rows.map((r) => r.column_name)).toEqual([
      'loto',
      'num',
      'ds',
      'unique_id',
      'y',
      'co',
      'note',
      ...derived,
    ]);
    for (const row of rows.filter((r) => derived.includes(r.column_name))) {
      expect(['integer', 'double precision']).toContain(row.data_type);
    }
    expect(derived.every((c) => /^(hist|stat|futr)_/.test(c))).toBe(true);
    expect(Object.keys(result.descriptions).sort()).toEqual([...derived].sort());
    expect(result.columns.hist).toContain('hist_y_roll_mean_3');
    expect(result.columns.hist).not.toContain('hist_y_roll_mean_5');
  });

  test('no look-ahead: rewriting, appending or changing draws after t leaves features at t unchanged', async () => {
    const table = 'nf_loto_leak';
    await createTable(db, table);
    const games = ['loto7', 'bingo5', 'numbers3'] as const;
    const original = games.flatMap((game) =>
      synthesizeDraws({ game, draws: 30, seed: 1, start: '2024-01-04' }),
    );
    await insertDraws(db, table, original);
    await buildFeatures(db, { table });
    const view = `${table}_features`;
    const t = 15;
    const before = await featureRows(db, view, `num <= ${t}`);
    expect(before.some((r) => r.hist_gap !== null)).toBe(true);

    // Replace every draw after t with other numbers and dates, and add 10 more.
    await db.query(`DELETE FROM ${table} WHERE num > $1`, [t]);
    const replaced = games.flatMap((game) =>
      synthesizeDraws({ game, draws: 25, seed: 99, start: '2025-03-01', firstNum: t + 1 }),
    );
    await insertDraws(db, table, replaced);
    await buildFeatures(db, { table });
    expect(await featureRows(db, view, `num <= ${t}`)).toEqual(before);
    expect((await featureRows(db, view, `num = 40`)).length).toBe(7 + 2 + 8 + 3);

    // Change draw t itself: its hist_*, stat_* and futr_* stay as they were.
    await db.query(`UPDATE ${table} SET y = y + 50 WHERE num = $1`, [t]);
    const changed = await featureRows(db, view, `num = ${t}`);
    const atT = before.filter((r) => r.num === t);
    expect(changed.map((r) => r.y)).not.toEqual(atT.map((r) => r.y));
    for (const prefix of ['hist_', 'stat_', 'futr_']) {
      expect(changed.map((r) => pick(r, prefix))).toEqual(atT.map((r) => pick(r, prefix)));
    }
  });

  test('works on the long table the writer makes, and new draws get features with no rebuild', async () => {
    const draws = synthesizeDraws({ game: 'loto6', draws: 12, seed: 4 });
    await saveDraws(db, { table: 'nf_loto_final', draws: draws.slice(0, 10) });
    const result = await buildFeatures(db, { table: 'nf_loto_final' });
    expect(result.view).toBe('nf_loto_final_features');
    await saveDraws(db, { table: 'nf_loto_final', draws: draws.slice(10) });
    const rows = await featureRows(db, result.view, 'num = 12');
    expect(rows).toHaveLength(7);
    const previous = draws[10] as Draw;
    expect(rows[0]?.hist_draw_sum).toBe(previous.main.reduce((a, b) => a + b, 0));
    // Prize columns of the base table are kept, the features come after them.
    expect(rows[0]).toHaveProperty('n7pm');
    expect(rows.map((r) => r.stat_position).sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  test('rejects bad names and clashes with errors that say what is allowed', async () => {
    await expect(buildFeatures(db, { table: 'Bad;Name' })).rejects.toThrow(ConfigError);
    await expect(buildFeatures(db, { table: 'nf_loto_missing' })).rejects.toThrow(NotFoundError);
    await expect(buildFeatures(db, { table: 'nf_loto_tiny', view: 'features_x' })).rejects.toThrow(
      /must match nf_loto%/,
    );
    await expect(buildFeatures(db, { table: 'nf_loto_tiny', rollingWindows: [0] })).rejects.toThrow(
      /rollingWindows/,
    );
    await db.exec(
      `CREATE TABLE nf_loto_clash (loto TEXT, num INTEGER, ds DATE, unique_id TEXT, y INTEGER, hist_gap INTEGER)`,
    );
    await expect(buildFeatures(db, { table: 'nf_loto_clash' })).rejects.toThrow(ConflictError);
    await db.exec(`CREATE TABLE nf_loto_text_y (loto TEXT, num INTEGER, ds DATE, unique_id TEXT, y TEXT)`);
    await expect(buildFeatures(db, { table: 'nf_loto_text_y' })).rejects.toThrow(/must be numeric/);
    await expect(buildFeatures(db, { table: 'nf_loto_tiny', view: 'nf_loto_clash' })).rejects.toThrow(
      /is a table/,
    );
  });
});
