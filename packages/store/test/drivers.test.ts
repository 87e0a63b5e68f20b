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
});
