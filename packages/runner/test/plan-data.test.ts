import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveDraws, synthesizeDraws } from '@nflab/store';
import { openTestDb, type TestDb } from '@nflab/store/testing';
import { parseRunSpec } from '@nflab/contracts';
import { planSweep, rowsNeeded, smallestInputSize } from '@nflab/runner';

// 30 synthetic loto6 draws: every series N1..N6, B1 has 30 rows.
const DRAWS = 30;
let db: TestDb;

beforeAll(async () => {
  db = await openTestDb('pglite', { migrate: true });
  await saveDraws(db, { draws: synthesizeDraws({ game: 'loto6', draws: DRAWS, seed: 5 }) });
});
afterAll(async () => {
  await db.close();
});

const base = { loto: 'loto6', unique_ids: ['N1', 'N2'], model: 'auto_nhits' } as const;

describe('planSweep against the data', () => {
  it('keeps runs the series can hold and reports h too long for them', async () => {
    const plan = await planSweep(
      { ...base, h: [2, 10, 20], search_space: { input_size: { kind: 'int', low: 4, high: 8 } } },
      { db },
    );
    expect(plan.runs.map((r) => r.spec.h)).toEqual([2, 10]);
    expect(plan.invalid).toHaveLength(1);
    expect(plan.invalid[0]?.reasons).toEqual([
      `h: 20 is too long for the data — the run needs 44 rows per series (input_size 4 + h 20 + val_size 20 + test_size 0) but series N1 of loto6 in nf_loto_final has ${DRAWS}`,
    ]);
  });

  it('counts val_size and test_size given as multiples of h, and the cross-validation span', async () => {
    const plan = await planSweep(
      {
        ...base,
        model: 'nhits',
        config: { input_size: 6 },
        h: 4,
        val_size: ['2h', 4],
        test_size: '3h',
        cross_validation: [null, { n_windows: 6, step_size: 2 }],
      },
      { db },
    );
    // 6 + 4 + 8 + max(12, 4 + 5×2 = 14) = 32 > 30; the others fit.
    expect(plan.count).toBe(3);
    expect(plan.invalid[0]?.reasons[0]).toContain(
      'needs 32 rows per series (input_size 6 + h 4 + val_size 8 + cross-validation span 14)',
    );
  });

  it('reports an unknown table, game, series and exogenous column', async () => {
    const plan = await planSweep(
      {
        mode: 'list',
        model: 'auto_nhits',
        unique_ids: ['N1'],
        runs: [
          { table_name: 'nf_loto_missing', loto: 'loto6' },
          { loto: 'loto7' },
          { loto: 'loto6', unique_ids: ['N1', 'N9'] },
          { loto: 'loto6', exogenous: { mode: 'explicit', hist_exog_list: ['hist_nope'] } },
        ],
      },
      { db },
    );
    expect(plan.count).toBe(0);
    const reasons = plan.invalid.map((i) => i.reasons.join(' | '));
    expect(reasons[0]).toMatch(/^table_name: .*nf_loto_missing/);
    expect(reasons[1]).toBe("loto: 'loto7' has no rows in nf_loto_final; games there: loto6");
    expect(reasons[2]).toMatch(/^unique_ids: N9 not in loto6 of nf_loto_final; series: B1, N1, N2/);
    expect(reasons[3]).toBe('exogenous: nf_loto_final has no column(s) hist_nope');
  });

  it("refuses runs on the lab's own tables and system catalogs, as the panel loader would", async () => {
    const names = ['nf_users', 'nf_api_tokens', 'nf_model_runs', 'pg_authid', 'public.nf_users', 'NF_USERS'];
    const plan = await planSweep(
      {
        mode: 'list',
        model: 'auto_nhits',
        unique_ids: ['N1'],
        runs: names.map((table_name) => ({ table_name, loto: 'loto6' })),
      },
      { db },
    );
    expect(plan.count).toBe(0);
    const reasons = plan.invalid.map((i) => i.reasons.join(' | '));
    expect(reasons).toHaveLength(names.length);
    reasons.slice(0, 4).forEach((reason, i) => {
      expect(reason).toMatch(new RegExp(`^table_name: table "${names[i]}" is not a data table`));
    });
    expect(reasons[4]).toMatch(/^table_name: .*schema-qualified/);
    expect(reasons[5]).toMatch(/^table_name: .*not allowed/);
  });
});

describe('rows a run needs', () => {
  it('takes the smallest input_size a fixed config or a space allows', () => {
    const spec = (extra: object) => parseRunSpec({ ...base, h: 3, ...extra });
    expect(smallestInputSize(spec({}))).toBe(1);
    expect(
      smallestInputSize(spec({ search_space: { input_size: { kind: 'categorical', choices: [9, 6, 12] } } })),
    ).toBe(6);
    expect(smallestInputSize(spec({ model: 'nhits', config: { input_size: 7 } }))).toBe(7);
    // NeuralForecast's -1 (the recurrent models' default) is 3·h.
    expect(smallestInputSize(spec({ model: 'rnn', config: { input_size: -1 } }))).toBe(9);
    // Auto models validate on h rows when val_size is 0; plain models do not validate then.
    expect(rowsNeeded(spec({})).rows).toBe(1 + 3 + 3);
    expect(rowsNeeded(spec({ model: 'nhits' })).rows).toBe(1 + 3);
  });
});
