/**
 * Query timing: every statement of an observed database — through query, exec and inside a
 * transaction — is reported once with its kind, its duration and whether it failed; the kind is
 * the statement's own, WITH lists and comments included, from a fixed vocabulary.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StoreError } from '@nflab/contracts';
import { observeQueries, statementKind, STATEMENT_KINDS, type QuerySample } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';

describe('statementKind', () => {
  test.each([
    ['SELECT 1', 'select'],
    ['  \n select * from t', 'select'],
    ['-- the latest check\nSELECT 1', 'select'],
    ['/* hint */ INSERT INTO t VALUES ($1)', 'insert'],
    ['UPDATE nf_model_runs SET status = $1', 'update'],
    ['DELETE FROM t', 'delete'],
    ['WITH next AS (SELECT id FROM q FOR UPDATE SKIP LOCKED) UPDATE q SET s = 1 FROM next', 'update'],
    ['WITH cleared AS (DELETE FROM a WHERE x = 1) INSERT INTO a SELECT 1', 'insert'],
    ["WITH t AS (SELECT 'update' AS w) SELECT * FROM t", 'select'],
    ['WITH RECURSIVE r(n) AS (SELECT 1 UNION SELECT n + 1 FROM r) SELECT n FROM r', 'select'],
    ['CREATE TABLE t (id int); CREATE INDEX ON t (id)', 'ddl'],
    ['TRUNCATE a, b RESTART IDENTITY CASCADE', 'ddl'],
    ['BEGIN', 'transaction'],
    ['LISTEN nflab_events', 'other'],
    ['', 'other'],
  ] as const)('%j is %s', (sql, kind) => {
    expect(statementKind(sql)).toBe(kind);
    expect(STATEMENT_KINDS).toContain(kind);
  });
});

describe.each(await testDbKinds())('observeQueries on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
  });
  afterAll(async () => {
    await db?.close();
  });

  test('reports each statement once, in a transaction too, failures as not ok', async () => {
    const samples: QuerySample[] = [];
    const observed = observeQueries(db, (sample) => samples.push(sample));
    expect(observed.kind).toBe(db.kind);
    expect(observed.url).toBe(db.url);
    expect(observed.poolStats === undefined).toBe(db.poolStats === undefined);

    await observed.exec('CREATE TABLE timed (n int)');
    await observed.query('INSERT INTO timed VALUES ($1), ($2)', [1, 2]);
    await observed.transaction(async (tx) => {
      await tx.query('UPDATE timed SET n = n + 1');
      await tx.query('SELECT pg_sleep(0.05)');
    });
    await expect(observed.query('SELECT * FROM no_such_table')).rejects.toBeInstanceOf(StoreError);
    await observed.query('DELETE FROM timed', [], { prepare: true });

    expect(samples.map(({ kind, ok }) => [kind, ok])).toEqual([
      ['ddl', true],
      ['insert', true],
      ['update', true],
      ['select', true],
      ['select', false],
      ['delete', true],
    ]);
    expect(samples[3]?.seconds).toBeGreaterThanOrEqual(0.045);
    for (const sample of samples) expect(sample.seconds).toBeGreaterThanOrEqual(0);
    // The statements reached the database itself.
    expect((await db.query('SELECT count(*)::int AS n FROM timed')).rows).toEqual([{ n: 0 }]);
  });
});
