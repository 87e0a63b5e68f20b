import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, NotFoundError } from '@nflab/contracts';
import { findTable, quoteIdentifier, requireColumn, requireTable, validateIdentifier } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';

const HOSTILE = [
  'nf_loto; DROP TABLE x',
  '"x"',
  'x"; DROP TABLE y; --',
  'nf_lоto', // Cyrillic о
  'nf_loto\u200b', // zero-width space
  'ｎｆ_loto', // full-width letters
  'NF_LOTO',
  'public.nf_loto',
  '1abc',
  'a b',
  '',
  'a'.repeat(64),
];

describe('identifier validation', () => {
  test.each(HOSTILE)('%j is a ConfigError naming the rule', (name) => {
    expect(() => validateIdentifier(name)).toThrow(ConfigError);
    expect(() => quoteIdentifier(name, 'column')).toThrow(
      /column name .* (is not allowed|is longer than 63 bytes)/,
    );
  });

  test('safe names pass unchanged and are double-quoted', () => {
    expect(validateIdentifier('nf_loto_final')).toBe('nf_loto_final');
    expect(validateIdentifier('_x9')).toBe('_x9');
    expect(validateIdentifier('a'.repeat(63))).toBe('a'.repeat(63));
    expect(quoteIdentifier('hist_co')).toBe('"hist_co"');
  });

  test('a non-string is rejected', () => {
    expect(() => validateIdentifier(42)).toThrow('table name must be a string, got number');
  });
});

describe.each(await testDbKinds())('catalog lookups on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind);
    await db.exec(`CREATE TABLE nf_t (unique_id TEXT, y DOUBLE PRECISION, flag BOOLEAN, note TEXT);
                   CREATE VIEW nf_v AS SELECT * FROM nf_t;
                   CREATE TABLE "Mixed" (a INT)`);
  });
  afterAll(async () => {
    await db.close();
  });

  test('tables and views resolve with their columns and numeric flags', async () => {
    const table = await requireTable(db, 'nf_t');
    expect(table.kind).toBe('table');
    expect(table.columns.map((c) => [c.name, c.dataType, c.numeric])).toEqual([
      ['unique_id', 'text', false],
      ['y', 'double precision', true],
      ['flag', 'boolean', true],
      ['note', 'text', false],
    ]);
    expect((await requireTable(db, 'nf_v')).kind).toBe('view');
    expect(requireColumn(table, 'y').numeric).toBe(true);
  });

  test('a missing table is NotFound, a missing column a ConfigError naming both', async () => {
    expect(await findTable(db, 'nf_missing')).toBeUndefined();
    await expect(requireTable(db, 'nf_missing')).rejects.toThrow(NotFoundError);
    const table = await requireTable(db, 'nf_t');
    expect(() => requireColumn(table, 'hist_x')).toThrow(
      'table "nf_t" has no column "hist_x" (columns: unique_id, y, flag, note)',
    );
    expect(() => requireColumn(table, 'y; DROP TABLE nf_t')).toThrow(ConfigError);
  });

  test('hostile names never reach the database; a quoted mixed-case table cannot be named', async () => {
    for (const name of HOSTILE) await expect(findTable(db, name)).rejects.toThrow(ConfigError);
    expect(await findTable(db, 'mixed')).toBeUndefined();
    expect(await findTable(db, 'nf_t')).toBeDefined();
  });
});
