import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, NotFoundError } from '@nflab/contracts';
import { loadPanel } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';

// loadPanel remembers a table's columns per database handle and lets its statement re-check them:
// every change to the table must show in the very next load, exactly as a first load would see it.
describe.each(await testDbKinds())('loadPanel after the table changes on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
    await db.exec(`
      CREATE TABLE nf_loto_live (loto TEXT, unique_id TEXT, ds DATE, y DOUBLE PRECISION);
      INSERT INTO nf_loto_live VALUES ('g', 'a', '2020-01-02', 1), ('g', 'a', '2020-01-09', 2);`);
  });
  afterAll(async () => {
    await db.close();
  });

  const load = () => loadPanel(db, { table: 'nf_loto_live', loto: 'g' });

  test('added, retyped and dropped columns, new rows and a dropped table show at once', async () => {
    expect(Array.from((await load()).y)).toEqual([1, 2]);
    await db.exec('ALTER TABLE nf_loto_live ADD COLUMN hist_x INTEGER');
    await db.exec(
      "UPDATE nf_loto_live SET hist_x = 5; INSERT INTO nf_loto_live VALUES ('g', 'b', '2020-01-02', 3, 6)",
    );
    const added = await load();
    expect(Array.from(added.hist.hist_x ?? [])).toEqual([5, 5, 6]);
    expect(added.series.map((s) => s.uniqueId)).toEqual(['a', 'b']);

    await db.exec('ALTER TABLE nf_loto_live ALTER COLUMN hist_x TYPE TEXT');
    await expect(load()).rejects.toThrow(ConfigError);
    await db.exec('ALTER TABLE nf_loto_live RENAME COLUMN hist_x TO note');
    expect((await load()).other.note).toEqual(['5', '5', '6']);
    await db.exec('ALTER TABLE nf_loto_live DROP COLUMN note');
    expect(Object.keys((await load()).other)).toEqual([]);

    await expect(loadPanel(db, { table: 'nf_loto_live', loto: 'none' })).rejects.toThrow(NotFoundError);
    await db.exec('DROP TABLE nf_loto_live');
    await expect(load()).rejects.toThrow(NotFoundError);
  });
});

describe.each(await testDbKinds())('loadPanel inside a transaction on %s', (kind) => {
  test('a column dropped between two loads in one transaction neither fails the load nor aborts the transaction', async () => {
    const db = await openTestDb(kind);
    try {
      await db.exec(`
        CREATE TABLE nf_loto_tx (loto TEXT, unique_id TEXT, ds DATE, y INTEGER, hist_x INTEGER);
        INSERT INTO nf_loto_tx VALUES ('g', 'a', '2020-01-02', 1, 2);`);
      const columns = await db.transaction(async (tx) => {
        await loadPanel(tx, { table: 'nf_loto_tx', loto: 'g' });
        await tx.exec('ALTER TABLE nf_loto_tx DROP COLUMN hist_x');
        const panel = await loadPanel(tx, { table: 'nf_loto_tx', loto: 'g' });
        await tx.query('SELECT 1');
        return Object.keys(panel.hist);
      });
      expect(columns).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
