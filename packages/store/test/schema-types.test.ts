import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from 'vitest';
import { BACKEND_IDS } from '@nflab/contracts';
import { TRIAL_STATES as TUNE_TRIAL_STATES, type Direction } from '@nflab/tune';
import {
  CHECKED_COLUMNS,
  RUN_BACKENDS,
  STUDY_DIRECTIONS,
  TABLES,
  TRIAL_STATES,
  UDT_NAMES,
  type ColumnType,
  type ModelRunRow,
  type RunStatus,
  type SqlType,
  type TrialRow,
} from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';

const kinds = await testDbKinds();

const declared = (type: ColumnType): { udt: string; nullable: boolean } => {
  const nullable = type.endsWith(' | null');
  const sql = (nullable ? type.slice(0, -' | null'.length) : type) as SqlType;
  return { udt: UDT_NAMES[sql], nullable };
};

describe.each(kinds)('TypeScript schema matches the migrated database on %s', (kind) => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
  });
  afterAll(async () => {
    await db?.close();
  });

  test('same tables, and per table the same columns in order with the same types and nullability', async () => {
    const { rows } = await db.query<{
      table_name: string;
      column_name: string;
      udt_name: string;
      is_nullable: string;
    }>(
      `SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns
        WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
    );
    const actual: Record<string, [string, { udt: string; nullable: boolean }][]> = {};
    for (const row of rows) {
      (actual[row.table_name] ??= []).push([
        row.column_name,
        { udt: row.udt_name, nullable: row.is_nullable === 'YES' },
      ]);
    }
    expect(Object.keys(actual).sort()).toEqual(Object.keys(TABLES).sort());
    for (const [table, columns] of Object.entries(TABLES)) {
      const expected = Object.entries(columns).map(([name, type]) => [name, declared(type)]);
      expect(actual[table], table).toEqual(expected);
    }
  });

  test('each vocabulary equals the values its CHECK constraint allows', async () => {
    for (const { table, column, values } of CHECKED_COLUMNS) {
      const { rows } = await db.query<{ def: string }>(
        `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'c'`,
        [table],
      );
      const check = rows.map((row) => row.def).find((def) => def.includes(`(${column} = ANY`));
      expect(check, `${table}.${column}`).toBeDefined();
      const allowed = [...(check ?? '').matchAll(/'([^']*)'::text/g)].map((match) => match[1]);
      expect(allowed, `${table}.${column}`).toEqual([...values]);
    }
  });
});

describe('schema types', () => {
  test('backends are the contracts backends', () => {
    expect([...RUN_BACKENDS].sort()).toEqual([...BACKEND_IDS].sort());
  });

  // Kept in the CHECK constraints' order, so a copy; tied here to tune's lists.
  test("trial states and study directions are tune's", () => {
    expect([...TRIAL_STATES].sort()).toEqual([...TUNE_TRIAL_STATES].sort());
    expect([...STUDY_DIRECTIONS].sort()).toEqual(['maximize', 'minimize']);
    expectTypeOf<(typeof STUDY_DIRECTIONS)[number]>().toEqualTypeOf<Direction>();
  });

  test('row types follow the drivers: arrays, nullable columns, BIGINT as number, DATE as string', () => {
    expectTypeOf<ModelRunRow['unique_ids']>().toEqualTypeOf<string[]>();
    expectTypeOf<ModelRunRow['sweep_id']>().toEqualTypeOf<string | null>();
    expectTypeOf<ModelRunRow['seed']>().toEqualTypeOf<number | null>();
    expectTypeOf<ModelRunRow['created_at']>().toEqualTypeOf<Date>();
    expectTypeOf<TrialRow['id']>().toEqualTypeOf<number>();
    expectTypeOf<ModelRunRow['status']>().toEqualTypeOf<RunStatus>();
    expectTypeOf<ModelRunRow['backend']>().toEqualTypeOf<'optuna' | 'ray' | null>();
    expectTypeOf<TrialRow['state']>().toEqualTypeOf<'RUNNING' | 'COMPLETE' | 'PRUNED' | 'FAIL' | 'WAITING'>();
    expect(Object.keys(TABLES.nf_model_runs)).toContain('mlflow_experiment');
  });
});
