import { describe, expect, test } from 'vitest';
import { StoreError } from '@nflab/contracts';
import { openPglite } from '@nflab/store';

describe('pglite driver', () => {
  test('returns DATE as an ISO day, rolls back a failed transaction, wraps errors with the query', async () => {
    const db = await openPglite();
    await db.exec('CREATE TABLE t (d DATE, n BIGINT)');
    const { rows } = await db.query<{ d: string }>("SELECT DATE '2000-10-05' AS d");
    expect(rows[0]?.d).toBe('2000-10-05');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES ($1, $2)', ['2020-01-01', 1]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await db.query('SELECT * FROM t')).rows).toHaveLength(0);
    const failure = await db.query('SELECT * FROM missing').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).query).toBe('SELECT * FROM missing');
    await db.close();
  });

  test('a cluster opened from a snapshot holds what was committed and lives apart from its source', async () => {
    const source = await openPglite();
    await source.exec('CREATE TABLE t (n INT); INSERT INTO t VALUES (1), (2)');
    const snapshot = await source.snapshot();
    const copy = await openPglite(undefined, { from: snapshot });
    try {
      await copy.exec('INSERT INTO t VALUES (3)');
      await source.exec('DELETE FROM t WHERE n = 1');
      const sum = async (db: typeof source) =>
        (await db.query<{ s: number }>('SELECT sum(n)::int AS s FROM t')).rows[0]?.s;
      expect(await sum(copy)).toBe(6);
      expect(await sum(source)).toBe(2);
    } finally {
      await copy.close();
      await source.close();
    }
  });
});
