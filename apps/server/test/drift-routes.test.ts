/**
 * The drift routes over real databases: a table's drift check and a run's residual anomalies
 * computed, stored, audited and read back, and the lab's answers to anonymous callers, weak roles,
 * bad input and unknown tables or runs.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Rng, TABLE_DRIFT_LIMITS } from '@nflab/contracts';
import { saveDraws, synthesizeDraws } from '@nflab/store';
import {
  openTestDb,
  RESIDUAL_SPIKE,
  RESIDUAL_SPIKE_INDEX,
  residualRunDay,
  seedResidualRun,
  testDbKinds,
  type TestDb,
} from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { injectAs, signIn, type SignedIn } from './sign-in.js';

// 300 synthetic loto6 draws; hist_level moves up by 3 (≈ 3 standard deviations) after draw 150,
// so that column drifts in every series by construction.
const DRAWS = synthesizeDraws({ game: 'loto6', draws: 300, seed: 61, start: '2016-01-01' });
const HALF = 150;
const TABLE = 'nf_loto_drift_api';
const reference = { from: DRAWS[0]!.ds, to: DRAWS[HALF - 1]!.ds };
const current = { from: DRAWS[HALF]!.ds, to: DRAWS[DRAWS.length - 1]!.ds };
const SERIES = ['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'B1'];

const addLevel = async (db: TestDb): Promise<void> => {
  const rng = new Rng('level');
  const rows = DRAWS.flatMap((draw, i) =>
    SERIES.map((uid) => ({ num: draw.num, uid, x: rng.normal() + (i >= HALF ? 3 : 0) })),
  );
  await db.query(`ALTER TABLE ${TABLE} ADD COLUMN hist_level double precision`);
  await db.query(
    `UPDATE ${TABLE} AS t SET hist_level = v.x
       FROM unnest($1::int[], $2::text[], $3::float8[]) AS v(num, uid, x)
      WHERE t.num = v.num AND t.unique_id = v.uid`,
    [rows.map((r) => r.num), rows.map((r) => r.uid), rows.map((r) => r.x)],
  );
};

describe.each(await testDbKinds())('drift routes on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let viewer: SignedIn;
  let editor: SignedIn;

  const post = (who: SignedIn | undefined, table: string, body: unknown): Promise<LightMyRequestResponse> =>
    injectAs(app, who, { method: 'POST', url: `/api/data/tables/${table}/drift`, payload: body });
  const get = (who: SignedIn | undefined, url: string): Promise<LightMyRequestResponse> =>
    injectAs(app, who, { url });

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    await saveDraws(db, { table: TABLE, draws: DRAWS });
    await addLevel(db);
    app = await buildServer({ db });
    viewer = await signIn(db, 'viewer');
    editor = await signIn(db, 'editor');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  test('an editor checks a table: the shifted column drifts in every series, the check is stored, audited and read back', async () => {
    const response = await post(editor, TABLE, {
      loto: 'loto6',
      reference,
      current,
      columns: ['y', 'hist_level'],
      thresholds: { p_value: 0.01, p_adjust: 'holm' },
    });
    expect(response.statusCode, response.body).toBe(200);
    const summary = response.json();
    expect(summary.columns).toHaveLength(14); // (y, hist_level) × 7 series
    expect(summary.thresholds).toEqual({ pValue: 0.01, psi: null, pAdjust: 'holm' });
    const drifted = summary.drifted.map(
      (d: { uniqueId: string | null; column: string }) => `${d.uniqueId}:${d.column}`,
    );
    for (const uid of SERIES) expect(drifted).toContain(`${uid}:hist_level`);
    // The draws themselves come from one fair generator: no y column drifts.
    expect(drifted.filter((d: string) => d.endsWith(':y'))).toEqual([]);

    const { rows } = await db.query<{ actor: string; entity_id: string; details: Record<string, unknown> }>(
      `SELECT actor, entity_id, details FROM nf_audit_log WHERE action = 'data.drift_check' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]).toMatchObject({
      actor: editor.username,
      entity_id: TABLE,
      details: { loto: 'loto6', check_id: summary.checkId, drifted: summary.drifted.length },
    });

    const stored = await get(viewer, `/api/data/tables/${TABLE}/drift?loto=loto6`);
    expect(stored.statusCode, stored.body).toBe(200);
    const { checks } = stored.json();
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({
      check_id: summary.checkId,
      table: TABLE,
      loto: 'loto6',
      reference,
      current,
    });
    expect(checks[0].drifted).toBe(summary.drifted.length);
    const level = checks[0].metrics.filter(
      (m: { feature: string; unique_id: string }) => m.feature === 'hist_level' && m.unique_id === 'N1',
    );
    expect(level.length).toBeGreaterThan(0);
    expect(level.some((m: { drifted: boolean | null }) => m.drifted === true)).toBe(true);
    // Another game of the table has no check yet.
    expect((await get(viewer, `/api/data/tables/${TABLE}/drift?loto=loto7`)).json()).toEqual({ checks: [] });
  });

  test('401 without a session on both routes; a viewer may read checks but not run one (403)', async () => {
    expect((await post(undefined, TABLE, { loto: 'loto6', reference, current })).statusCode).toBe(401);
    expect((await get(undefined, `/api/data/tables/${TABLE}/drift`)).statusCode).toBe(401);
    const forbidden = await post(viewer, TABLE, { loto: 'loto6', reference, current });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('forbidden');
    expect((await get(viewer, `/api/data/tables/${TABLE}/drift`)).statusCode).toBe(200);
  });

  test('bad input is 400 naming the field: window days, reversed windows, long windows, thresholds, unknown keys', async () => {
    const ok = { loto: 'loto6', reference, current };
    for (const [body, path] of [
      [{ ...ok, reference: { from: '2016-02-30', to: reference.to } }, 'body.reference.from'],
      [{ ...ok, current: { from: current.from, to: 'tomorrow' } }, 'body.current.to'],
      [{ ...ok, reference: { from: reference.to, to: reference.from } }, 'body.reference.to'],
      [{ ...ok, reference: current, current: reference }, 'body.reference'],
      [{ ...ok, reference: { from: '1990-01-01', to: '2015-12-31' } }, 'body.reference'],
      [{ ...ok, thresholds: { p_value: 1.5 } }, 'body.thresholds.p_value'],
      [{ ...ok, thresholds: { p_adjust: 'fdr' } }, 'body.thresholds.p_adjust'],
      [{ ...ok, columns: ['y; DROP TABLE x'] }, 'body.columns[0]'],
      [{ ...ok, window: 7 }, 'body'],
      [{ reference, current }, 'body.loto'],
    ] as const) {
      const response = await post(editor, TABLE, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    const unknown = await post(editor, TABLE, { ...ok, columns: ['y', 'hist_missing'] });
    expect(unknown.statusCode, unknown.body).toBe(400);
    expect(unknown.json().error.message).toContain('hist_missing');
    const empty = await post(editor, TABLE, { ...ok, current: { from: '2030-01-01', to: '2030-12-31' } });
    expect(empty.statusCode, empty.body).toBe(400);
    expect(empty.json().error.message).toContain('current window 2030-01-01..2030-12-31 holds no rows');
    expect((await get(viewer, `/api/data/tables/${TABLE}/drift?lotto=loto6`)).statusCode).toBe(400);
  });

  test('more columns than TABLE_DRIFT_LIMITS.maxColumns are refused before any data is read', async () => {
    const columns = Array.from({ length: TABLE_DRIFT_LIMITS.maxColumns }, (_, i) => `hist_c${i}`);
    const tooMany = await post(editor, TABLE, {
      loto: 'loto6',
      reference,
      current,
      columns: [...columns, 'y'],
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.issues.map((i: { path: string }) => i.path)).toContain('body.columns');
  });

  test('a table with more series than TABLE_DRIFT_LIMITS.maxTests allows is refused before any test runs', async () => {
    // One more series than the limit, each with one row in each window: cheap to read, too many to test.
    const series = TABLE_DRIFT_LIMITS.maxTests + 1;
    await db.query(`CREATE TABLE nf_loto_wide (loto text, unique_id text, ds date, y double precision)`);
    await db.query(
      `INSERT INTO nf_loto_wide SELECT 'wide', 'S' || i, d::date, i
         FROM generate_series(1, $1::int) AS i, unnest(ARRAY['2020-01-01', '2021-01-01']) AS d`,
      [series],
    );
    const window = {
      reference: { from: '2020-01-01', to: '2020-12-31' },
      current: { from: '2021-01-01', to: '2021-12-31' },
    };
    const response = await post(editor, 'nf_loto_wide', { loto: 'wide', ...window });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error.message).toContain(
      `${series} series × 1 columns = ${series}; request fewer series or columns`,
    );
    const fewer = await post(editor, 'nf_loto_wide', { loto: 'wide', unique_ids: ['S1', 'S2'], ...window });
    expect(fewer.statusCode, fewer.body).toBe(200);
  });

  test('an unknown table, or a lab table, is 404 on both routes', async () => {
    for (const table of ['nf_loto_missing', 'nf_model_runs', 'nf_users']) {
      const checked = await post(editor, table, { loto: 'loto6', reference, current });
      expect(checked.statusCode, `${table}: ${checked.body}`).toBe(404);
      const read = await get(viewer, `/api/data/tables/${table}/drift`);
      expect(read.statusCode, `${table}: ${read.body}`).toBe(404);
    }
  });
});

const MISSING = '00000000-0000-4000-8000-000000000000';

describe.each(await testDbKinds())('run anomaly routes on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let viewer: SignedIn;
  let editor: SignedIn;
  let runId: string;

  const post = (who: SignedIn | undefined, id: string, body: unknown): Promise<LightMyRequestResponse> =>
    injectAs(app, who, { method: 'POST', url: `/api/runs/${id}/anomalies`, payload: body });
  const get = (who: SignedIn | undefined, url: string): Promise<LightMyRequestResponse> =>
    injectAs(app, who, { url });

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    runId = await seedResidualRun(db);
    app = await buildServer({ db });
    viewer = await signIn(db, 'viewer');
    editor = await signIn(db, 'editor');
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  test('an editor detects the spike; it is stored, audited and listed for a viewer', async () => {
    const response = await post(editor, runId, { method: 'mad' });
    expect(response.statusCode, response.body).toBe(200);
    const result = response.json();
    expect(result).toMatchObject({ runId, method: 'mad', reference: 'first_half' });
    expect(result.anomalies).toEqual([
      expect.objectContaining({
        unique_id: 'N1',
        ds: residualRunDay(RESIDUAL_SPIKE_INDEX),
        residual: RESIDUAL_SPIKE,
      }),
    ]);
    expect(result.skipped.map((s: { uniqueId: string }) => s.uniqueId)).toEqual(['N3']);

    const { rows } = await db.query<{ actor: string; entity_id: string; details: Record<string, unknown> }>(
      `SELECT actor, entity_id, details FROM nf_audit_log WHERE action = 'run.anomalies' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]).toMatchObject({
      actor: editor.username,
      entity_id: runId,
      details: { method: 'mad', reference: 'first_half', flagged: 1 },
    });

    const listed = await get(viewer, `/api/runs/${runId}/anomalies?method=mad`);
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().items).toEqual([
      expect.objectContaining({
        unique_id: 'N1',
        ds: residualRunDay(RESIDUAL_SPIKE_INDEX),
        method: 'mad',
        threshold: 3.5,
      }),
    ]);
    expect((await get(viewer, `/api/runs/${runId}/anomalies?method=iqr`)).json()).toEqual({ items: [] });
  });

  test('401 without a session on both routes; a viewer may list but not detect (403)', async () => {
    expect((await post(undefined, runId, { method: 'zscore' })).statusCode).toBe(401);
    expect((await get(undefined, `/api/runs/${runId}/anomalies`)).statusCode).toBe(401);
    const forbidden = await post(viewer, runId, { method: 'zscore' });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe('forbidden');
  });

  test('bad input is 400 naming the field; an unfinished run is 409', async () => {
    for (const [id, body, path] of [
      [runId, {}, 'body.method'],
      [runId, { method: 'dbscan' }, 'body.method'],
      [runId, { method: 'zscore', h: 4 }, 'body.h'],
      [runId, { method: 'iqr', k: -1 }, 'body.k'],
      [runId, { method: 'mad', reference: 'last_half' }, 'body.reference'],
      [runId, { method: 'mad', window: 3 }, 'body'],
      ['not-a-run', { method: 'mad' }, 'path.id'],
    ] as const) {
      const response = await post(editor, id, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    const bad = await get(viewer, `/api/runs/${runId}/anomalies?method=dbscan`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].path).toBe('query.method');
    const running = await seedResidualRun(db, 'running');
    expect((await post(editor, running, { method: 'mad' })).statusCode).toBe(409);
  });

  test('an unknown run is 404 on both routes', async () => {
    expect((await post(editor, MISSING, { method: 'mad' })).statusCode).toBe(404);
    expect((await get(viewer, `/api/runs/${MISSING}/anomalies`)).statusCode).toBe(404);
  });
});
