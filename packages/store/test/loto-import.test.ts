import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, ConflictError, GAME_IDS, NotFoundError } from '@nflab/contracts';
import { importDraws, importFile, RejectedRowsError, saveDraws, type Draw } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';

const SAMPLE = fileURLToPath(new URL('../../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nflab-import-'));
const sampleText = new TextDecoder('shift_jis').decode(readFileSync(SAMPLE));
const sampleLines = sampleText.trimEnd().split(/\r?\n/);

/** Writes `lines` as a file (UTF-8 unless told otherwise) and returns its path. */
const writeCsv = (name: string, lines: readonly string[], bom = false): string => {
  const path = join(dir, name);
  writeFileSync(path, `${bom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`);
  return path;
};

const count = async (db: TestDb, table = 'nf_loto_final'): Promise<number> =>
  Number((await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]?.n);

const tableExists = async (db: TestDb, table: string): Promise<boolean> =>
  (await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table])).rows[0]?.t != null;

// One database per kind (opening PGlite costs seconds); each test writes its own table.
describe.each(await testDbKinds())('import on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(async () => {
    await db.close();
  });

  test('the real LOTO6 file: 1,498 draws × 7 ids; draw 1 as published; re-import adds 0', async () => {
    const progress: [number, number][] = [];
    const report = await importFile(db, {
      file: SAMPLE,
      game: 'loto6',
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(report).toEqual({ draws: 1498, rowsAdded: 10486, rowsSkipped: 0, rejected: [] });
    expect(progress[0]).toEqual([0, 1498]);
    expect(progress.at(-1)).toEqual([1498, 1498]);
    expect(await count(db)).toBe(10486);
    const { rows } = await db.query<Record<string, unknown>>(
      'SELECT * FROM nf_loto_final WHERE loto = \'loto6\' AND num = 1 ORDER BY unique_id COLLATE "C"',
    );
    expect(rows.map((r) => r.unique_id)).toEqual(['B1', 'N1', 'N2', 'N3', 'N4', 'N5', 'N6']);
    expect(rows.map((r) => r.y)).toEqual([39, 2, 8, 10, 13, 27, 30]);
    for (const row of rows) {
      expect(row).toMatchObject({ ds: '2000-10-05', n1nu: 2, n1pm: 45513600, co: 0, n6nu: null, n7nu: null });
    }
    const again = await importFile(db, { file: SAMPLE, game: 'loto6' });
    expect(again).toEqual({ draws: 1498, rowsAdded: 0, rowsSkipped: 10486, rejected: [] });
    expect(await count(db)).toBe(10486);
  });

  test('a prefix file then the full file adds only the rest', async () => {
    const table = 'nf_loto_prefix';
    const prefix = writeCsv(`prefix-${kind}.csv`, sampleLines.slice(0, 101));
    expect((await importFile(db, { file: prefix, game: 'loto6', table })).rowsAdded).toBe(700);
    const full = await importFile(db, { file: SAMPLE, game: 'loto6', table });
    expect(full).toMatchObject({ rowsAdded: 10486 - 700, rowsSkipped: 700 });
    expect(await count(db, table)).toBe(10486);
  });

  test('one malformed line rejects the whole file with its line number; nothing is written', async () => {
    const lines = [...sampleLines.slice(0, 50)];
    lines[37] = lines[37]!.replace(/^(\d+),([^,]+),(\d+),/, '$1,$2,99,');
    const bad = writeCsv(`bad-${kind}.csv`, lines);
    const table = 'nf_loto_bad';
    const error = await importFile(db, { file: bad, game: 'loto6', table }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RejectedRowsError);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as RejectedRowsError).rejected).toEqual([
      { line: 38, reason: expect.stringContaining('N1 = 99') },
    ]);
    expect((error as Error).message).toContain('line 38: ');
    expect(await tableExists(db, table)).toBe(false);

    const report = await importFile(db, { file: bad, game: 'loto6', table, skipBadRows: true });
    expect(report.draws).toBe(48);
    expect(report.rowsAdded).toBe(48 * 7);
    expect(report.rejected.map((r) => r.line)).toEqual([38]);
  });

  test('UTF-8 with BOM imports like the cp932 original, into a table named by the caller', async () => {
    const utf8 = writeCsv(`bom-${kind}.csv`, sampleLines.slice(0, 11), true);
    const report = await importFile(db, { file: utf8, game: 'loto6', table: 'nf_loto_utf8' });
    expect(report.rowsAdded).toBe(70);
    expect(await count(db, 'nf_loto_utf8')).toBe(70);
  });

  test('a stored draw with different values is a ConflictError naming the draw and column', async () => {
    const table = 'nf_loto_conflict';
    await importFile(db, { file: writeCsv(`c1-${kind}.csv`, sampleLines.slice(0, 4)), game: 'loto6', table });
    const changed = [...sampleLines.slice(0, 6)];
    changed[2] = changed[2]!.replace(',0,7,195,', ',0,8,195,'); // draw 2's tier-2 winners
    const error = await importFile(db, {
      file: writeCsv(`c2-${kind}.csv`, changed),
      game: 'loto6',
      table,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(
      /loto6 draw 2 is already in "nf_loto_conflict".*column n2nu is 7 there but 8/,
    );
    expect(await count(db, table)).toBe(21);
  });

  test("every other game's official layout imports into one table, series N…/B… per game", async () => {
    const table = 'nf_loto_games';
    for (const game of GAME_IDS.filter((g) => g !== 'loto6')) {
      const report = await importFile(db, { file: fixture(`${game}.csv`), game, table });
      expect(report.rejected).toEqual([]);
      expect(report.rowsAdded).toBeGreaterThan(0);
    }
    const { rows } = await db.query<{ loto: string; ids: string; co: number | null; n7: number | null }>(
      `SELECT loto, string_agg(DISTINCT unique_id, ',' ORDER BY unique_id) AS ids, max(co) AS co, max(n7pm) AS n7
       FROM nf_loto_games GROUP BY loto ORDER BY loto`,
    );
    expect(rows).toEqual([
      { loto: 'bingo5', ids: 'N1,N2,N3,N4,N5,N6,N7,N8', co: 5510000, n7: 200 },
      { loto: 'loto7', ids: 'B1,B2,N1,N2,N3,N4,N5,N6,N7', co: 406911476, n7: null },
      { loto: 'miniloto', ids: 'B1,N1,N2,N3,N4,N5', co: null, n7: null },
      { loto: 'numbers3', ids: 'N1,N2,N3', co: null, n7: null },
      { loto: 'numbers4', ids: 'N1,N2,N3,N4', co: null, n7: null },
    ]);
    const digits = await db.query<{ y: number }>(
      "SELECT y FROM nf_loto_games WHERE loto = 'numbers3' AND num = 5000 ORDER BY unique_id",
    );
    expect(digits.rows.map((r) => r.y)).toEqual([0, 2, 7]);
  });

  test('importDraws and saveDraws share the path: validated, idempotent, bad draws named by position', async () => {
    const draw: Draw = {
      game: 'miniloto',
      num: 7,
      ds: '1999-05-18',
      main: [1, 2, 3, 4, 5],
      bonus: [6],
      carryOver: null,
      tiers: Array.from({ length: 4 }, () => ({ winners: 1, prize: 1000 })),
    };
    const bad: Draw = { ...draw, num: 8, main: [5, 4, 3, 2, 1] };
    const table = 'nf_loto_synth';
    await expect(importDraws(db, { game: 'miniloto', table, draws: [draw, bad] })).rejects.toThrow(
      /line 2: main numbers/,
    );
    const report = await importDraws(db, { game: 'miniloto', table, draws: [draw, bad], skipBadRows: true });
    expect(report).toMatchObject({ draws: 1, rowsAdded: 6, rejected: [{ line: 2 }] });
    expect(await saveDraws(db, { table, draws: [draw] })).toMatchObject({ rowsSkipped: 6, rowsAdded: 0 });
    await expect(saveDraws(db, { table, draws: [bad] })).rejects.toThrow(RejectedRowsError);
    await expect(saveDraws(db, { table, draws: [draw, { ...draw }] })).rejects.toThrow(
      /repeat a draw number/,
    );
    await expect(importDraws(db, { game: 'loto6', table, draws: [draw] })).rejects.toThrow(
      /draw is for game miniloto/,
    );
    expect(await count(db, table)).toBe(6);
  });

  test('hostile table names are rejected before any SQL runs; a missing file is NotFound', async () => {
    for (const table of ['nf_loto; DROP TABLE x', '"x"', 'nf_lоto', 'NF_LOTO', 'a'.repeat(64), '']) {
      await expect(importFile(db, { file: SAMPLE, game: 'loto6', table })).rejects.toThrow(ConfigError);
    }
    await expect(importFile(db, { file: join(dir, 'missing.csv'), game: 'loto6' })).rejects.toThrow(
      NotFoundError,
    );
    const { rows } = await db.query("SELECT 1 FROM pg_class WHERE relname IN ('x', 'nf_loto', 'nf_lоto')");
    expect(rows).toEqual([]);
  });

  test('writing into a table of another shape or a view is a ConfigError', async () => {
    await db.exec('CREATE TABLE nf_loto_other (loto TEXT, num INTEGER)');
    await expect(importFile(db, { file: SAMPLE, game: 'loto6', table: 'nf_loto_other' })).rejects.toThrow(
      /lacks long-format column\(s\) ds, unique_id, y, co, n1nu/,
    );
    await db.exec('CREATE VIEW nf_loto_view AS SELECT * FROM nf_loto_other');
    await expect(
      importFile(db, { file: fixture('miniloto.csv'), game: 'miniloto', table: 'nf_loto_view' }),
    ).rejects.toThrow(/is a view/);
  });
});
