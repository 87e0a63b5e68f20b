import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, NotFoundError, Rng } from '@nflab/contracts';
import { latestTableDriftChecks, saveDraws, synthesizeDraws } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { checkTableDrift } from '../../src/analyses/table-drift.js';
import { biased } from './drifting-draws.js';

// 400 synthetic loto6 draws (Mondays and Thursdays from 2015): the steady table keeps the fair
// generator throughout; the shifted one switches after draw 200 to a generator that favours 1–8
// (weight 4) and adds 1 to a hist_ column, so drift is there by construction.
const DRAWS = synthesizeDraws({ game: 'loto6', draws: 400, seed: 16, start: '2015-01-01' });
const HALF = 200;
const reference = { from: DRAWS[0]!.ds, to: DRAWS[HALF - 1]!.ds };
const current = { from: DRAWS[HALF]!.ds, to: DRAWS[DRAWS.length - 1]!.ds };

const withNoise = async (db: TestDb, table: string, shift: number): Promise<void> => {
  const rng = new Rng('noise', table);
  const rows = DRAWS.flatMap((draw, i) =>
    ['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'B1'].map((uid) => [
      draw.num,
      uid,
      rng.normal() + (i >= HALF ? shift : 0),
    ]),
  );
  await db.query(`ALTER TABLE ${table} ADD COLUMN hist_noise double precision`);
  await db.query(
    `UPDATE ${table} AS t SET hist_noise = v.x
       FROM unnest($1::int[], $2::text[], $3::float8[]) AS v(num, uid, x)
      WHERE t.num = v.num AND t.unique_id = v.uid`,
    [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
  );
};

describe.each(await testDbKinds())('checkTableDrift on %s', (kind) => {
  let db: TestDb;
  const check = (table: string, extra: Partial<Parameters<typeof checkTableDrift>[0]> = {}) =>
    checkTableDrift({ db: { lab: db, data: db }, table, loto: 'loto6', reference, current, ...extra });

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    await saveDraws(db, { table: 'nf_loto_steady', draws: DRAWS });
    const rng = new Rng('bias');
    await saveDraws(db, {
      table: 'nf_loto_shift',
      draws: DRAWS.map((draw, i) => (i < HALF ? draw : biased(draw, rng))),
    });
    await withNoise(db, 'nf_loto_steady', 0);
    await withNoise(db, 'nf_loto_shift', 1);
  }, 120_000);
  afterAll(async () => {
    await db?.close();
  });

  test('a generator that changes midway: the numbers, N1 and the shifted hist_ column drift, and the check is stored', async () => {
    const summary = await check('nf_loto_shift');
    expect(summary.columns).toHaveLength(14); // (y, hist_noise) × 7 series
    expect(summary.uniformity?.drifted).toBe(true);
    expect(summary.uniformity?.current.pValue).toBeLessThan(1e-6);
    expect(summary.uniformity?.reference?.pValue).toBeGreaterThan(0.01);
    const drifted = summary.drifted.map((d) => `${d.uniqueId ?? '-'}:${d.column}`);
    expect(drifted).toContain('-:numbers');
    expect(drifted).toContain('N1:y');
    for (const uid of ['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'B1'])
      expect(drifted).toContain(`${uid}:hist_noise`);
    const n1 = summary.columns.find((c) => c.uniqueId === 'N1' && c.column === 'y');
    expect(n1).toMatchObject({ kind: 'discrete', drifted: true });
    expect(summary.columns.find((c) => c.column === 'hist_noise')?.kind).toBe('continuous');

    const stored = await latestTableDriftChecks(db, { table: 'nf_loto_shift', loto: 'loto6' });
    expect(new Set(stored.map((r) => r.check_id))).toEqual(new Set([summary.checkId]));
    // Discrete y: chi2, psi, js, kl; continuous hist_noise: ks, psi, js, kl, wasserstein; two uniformity rows.
    expect(stored).toHaveLength(7 * 4 + 7 * 5 + 2);
    const storedDrifted = stored
      .filter((r) => r.drifted === true && r.metric !== 'psi')
      .map((r) => `${r.unique_id ?? '-'}:${r.feature}`);
    expect(storedDrifted.sort()).toEqual([...drifted].sort());
    expect(stored.find((r) => r.metric === 'uniformity_chi2')).toMatchObject({
      feature: 'numbers',
      threshold: 0.01,
      reference_start: reference.from,
      window_end: current.to,
      details: { draws: HALF, dof: 42, sampling: 'without-replacement' },
    });
  });

  test('unchanged data: nothing drifts, and a PSI threshold can only remove drift', async () => {
    const summary = await check('nf_loto_steady');
    expect(summary.drifted).toEqual([]);
    expect(summary.columns).toHaveLength(14);
    // One raw p-value is below 0.05 by chance (N4's hist_noise, 0.040); the correction keeps it from drifting.
    expect(Math.min(...summary.columns.map((c) => c.pValue))).toBeLessThan(0.05);
    expect(summary.uniformity?.current.pValue).toBeGreaterThan(0.01);
    expect(summary.columns.every((c) => c.adjustedPValue >= c.pValue)).toBe(true);
    const shifted = await check('nf_loto_shift', { thresholds: { psi: 10 } });
    expect(shifted.drifted).toEqual([{ uniqueId: null, column: 'numbers' }]);
  });

  test('columns and series can be chosen; without every main series there is no uniformity test', async () => {
    const summary = await check('nf_loto_shift', { uniqueIds: ['N1'], columns: ['hist_noise'] });
    expect(summary.columns.map((c) => `${c.uniqueId}:${c.column}`)).toEqual(['N1:hist_noise']);
    expect(summary.uniformity).toBeNull();
    expect(summary.skipped).toEqual([
      {
        uniqueId: null,
        column: 'numbers',
        reason: 'the check does not read every main series N1, N2, N3, N4, N5, N6',
      },
    ]);
  });

  test('bad tables, columns, windows and thresholds are refused by name, before anything is stored', async () => {
    const before = (await latestTableDriftChecks(db)).length;
    await expect(check('nf_loto_missing')).rejects.toThrow(NotFoundError);
    await expect(check('nf_loto_shift; DROP TABLE nf_model_runs')).rejects.toThrow(/nf_loto_shift; DROP/);
    await expect(check('nf_loto_shift', { columns: ['hist_none'] })).rejects.toThrow(/hist_none/);
    await expect(check('nf_loto_shift', { columns: ['ds'] })).rejects.toThrow(/column ds is a key/);
    await expect(check('nf_loto_shift', { loto: 'loto7' })).rejects.toThrow(NotFoundError);
    await expect(
      check('nf_loto_shift', { reference: { from: '2015-02-30', to: '2015-03-01' } }),
    ).rejects.toThrow(/reference\.from must be an ISO day/);
    await expect(check('nf_loto_shift', { current: { from: current.to, to: current.from } })).rejects.toThrow(
      /current\.from .* is after current\.to/,
    );
    await expect(check('nf_loto_shift', { current: reference })).rejects.toThrow(/overlap/);
    await expect(
      check('nf_loto_shift', { current: { from: '2030-01-01', to: '2030-12-31' } }),
    ).rejects.toThrow(/current window 2030-01-01\.\.2030-12-31 holds no rows of loto6 in nf_loto_shift/);
    await expect(check('nf_loto_shift', { thresholds: { pValue: 1.5 } })).rejects.toThrow(
      /thresholds\.pValue must be in \(0, 1\)/,
    );
    await expect(check('nf_loto_shift', { columns: ['hist_noise'], loto: 'loto6' })).resolves.toBeDefined();
    await expect(check('nf_loto_shift', { thresholds: { pValue: 0 } })).rejects.toThrow(ConfigError);
    expect((await latestTableDriftChecks(db)).length).toBeGreaterThanOrEqual(before);
  });
});
