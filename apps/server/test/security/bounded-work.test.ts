/**
 * Issue 11, bounded work per request: the combination limit on plans and sweeps (no run queued
 * past it), the paged plan preview, the body size limit and the JSON depth limit.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { importFile } from '@nflab/store';
import { openTestDb, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../../src/app.js';
import { SAME_ORIGIN, signIn } from '../sign-in.js';

const LOTO6 = new URL('../../../../data/samples/loto6_2000-2020.cp932.csv', import.meta.url).pathname;
const seq = (n: number, from = 1): number[] => Array.from({ length: n }, (_, i) => i + from);
const BASE = {
  loto: 'loto6',
  unique_ids: ['N1'],
  model: 'auto_nhits',
  max_steps: 10,
  num_samples: 1,
  config: { val_check_steps: 5 },
};
/** The request from the report: 59 KB that planned 100,000 runs and answered 61 MB. */
const REPORTED = { ...BASE, random_seed: seq(10_000, 0), h: seq(10) };

/** `{"a":{"a":…1…}}` nested `depth` deep, as raw JSON text. */
const nestedJson = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe.each(await testDbKinds())('bounded work per request on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let small: FastifyInstance;
  let viewer: string;
  let editor: string;
  const post = (
    server: FastifyInstance,
    cookie: string | undefined,
    url: string,
    payload: unknown,
  ): Promise<LightMyRequestResponse> =>
    server.inject({
      method: 'POST',
      url,
      headers: {
        'content-type': 'application/json',
        origin: SAME_ORIGIN,
        ...(cookie === undefined ? {} : { cookie }),
      },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
  const counts = async () =>
    (
      await db.query<{ runs: number; sweeps: number }>(
        'SELECT (SELECT count(*)::int FROM nf_model_runs) AS runs, (SELECT count(*)::int FROM nf_sweeps) AS sweeps',
      )
    ).rows[0];

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    await importFile(db, { file: LOTO6, game: 'loto6' });
    app = await buildServer({ db, webRoot: false });
    small = await buildServer({ db, webRoot: false, maxCombinations: 5, bodyLimit: 4096, maxJsonDepth: 8 });
    viewer = (await signIn(db, 'viewer')).cookie;
    editor = (await signIn(db, 'editor')).cookie;
  });
  afterAll(async () => {
    await app.close();
    await small.close();
    await db.close();
  });

  test('the reported plan is refused with a 400 naming the count and the limit', async () => {
    const response = await post(app, viewer, '/api/sweeps/plan', { spec: REPORTED });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('config');
    expect(error.issues).toEqual([
      {
        path: 'sweep',
        message: expect.stringContaining(
          'forms 100000 combinations (h 10 × random_seed 10000); at most 10000 are allowed',
        ),
      },
    ]);
    expect(error.message).toContain('NFLAB_MAX_COMBINATIONS');
  });

  test('validating a sweep past the limit says so too', async () => {
    const response = await post(app, viewer, '/api/specs/validate', { kind: 'sweep', spec: REPORTED });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0]).toMatchObject({
      path: 'body.spec',
      message: expect.stringContaining('forms 100000 combinations'),
    });
  });

  test('a sweep past the limit is refused before anything is queued', async () => {
    const before = await counts();
    const response = await post(app, editor, '/api/sweeps', { spec: REPORTED });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('forms 100000 combinations');
    expect(response.json().error.message).toContain('at most 10000 are allowed');
    expect(await counts()).toEqual(before);
  });

  test('the limit is a setting: a lab limited to 5 refuses 6 and queues 5', async () => {
    const before = await counts();
    const six = await post(small, editor, '/api/sweeps', { spec: { ...BASE, h: seq(6) } });
    expect(six.statusCode).toBe(400);
    expect(six.json().error.message).toContain('forms 6 combinations (h 6); at most 5 are allowed');
    expect(await counts()).toEqual(before);
    const plan = await post(small, viewer, '/api/sweeps/plan', { spec: { ...BASE, h: seq(6) } });
    expect(plan.statusCode).toBe(400);
    const five = await post(small, editor, '/api/sweeps', { spec: { ...BASE, h: seq(5) } });
    expect(five.statusCode).toBe(201);
    expect(five.json().count).toBe(5);
    expect(await counts()).toEqual({ runs: (before?.runs ?? 0) + 5, sweeps: (before?.sweeps ?? 0) + 1 });
  });

  test('the plan preview is paged: every count, one page of runs and of invalid combinations', async () => {
    // h 1..12 are valid; h 2000 is too long for the data; the repeated h 3 is a duplicate.
    const spec = { ...BASE, h: [...seq(12), 2000, 3] };
    const first = await post(app, viewer, '/api/sweeps/plan', { spec, limit: 5 });
    expect(first.statusCode).toBe(200);
    const page = first.json();
    expect(page).toMatchObject({
      count: 12,
      combinations: 14,
      duplicatesRemoved: 1,
      invalidCount: 1,
      offset: 0,
      limit: 5,
    });
    expect(page.runs.map((run: { index: number }) => run.index)).toEqual([0, 1, 2, 3, 4]);
    expect(page.invalid).toHaveLength(1);
    expect(page.invalid[0].reasons[0]).toContain('h: 2000 is too long');
    // The estimate covers every run, not only the page: 12 × (1 trial + final fit) × 10 steps × 0.065 s.
    expect(page.estimatedSeconds).toBe(16);
    const last = (await post(app, viewer, '/api/sweeps/plan', { spec, offset: 10, limit: 5 })).json();
    expect(last.runs.map((run: { spec: { h: number } }) => run.spec.h)).toEqual([11, 12]);
    expect(last.invalid).toEqual([]);
    expect(last.count).toBe(12);
    const defaults = (await post(app, viewer, '/api/sweeps/plan', { spec })).json();
    expect(defaults).toMatchObject({ offset: 0, limit: 100 });
    expect(defaults.runs).toHaveLength(12);
  });

  test('bad paging parameters are 400s naming the field', async () => {
    const spec = { ...BASE, h: 2 };
    for (const [extra, path] of [
      [{ limit: 501 }, 'body.limit'],
      [{ limit: 0 }, 'body.limit'],
      [{ offset: -1 }, 'body.offset'],
      [{ offset: 'x' }, 'body.offset'],
    ] as const) {
      const response = await post(app, viewer, '/api/sweeps/plan', { spec, ...extra });
      expect(response.statusCode, JSON.stringify(extra)).toBe(400);
      expect(response.json().error.issues[0].path).toBe(path);
    }
  });

  test('signed-out callers get 401 from the plan and validate routes, whatever the body', async () => {
    for (const url of ['/api/sweeps/plan', '/api/specs/validate']) {
      expect((await post(app, undefined, url, { spec: REPORTED })).statusCode).toBe(401);
      expect((await post(app, undefined, url, nestedJson(5000))).statusCode).toBe(401);
    }
  });

  test('a body over the limit is a 413 naming the limit', async () => {
    const big = { spec: { ...BASE, name: 'x'.repeat(2 * 1024 * 1024) } };
    const response = await post(app, viewer, '/api/sweeps/plan', big);
    expect(response.statusCode).toBe(413);
    expect(response.json().error.message).toBe(
      'body: larger than the 1048576 bytes a request may carry — send a smaller spec',
    );
    const configured = await post(small, viewer, '/api/specs/validate', {
      kind: 'sweep',
      spec: { ...BASE, name: 'x'.repeat(5000) },
    });
    expect(configured.statusCode).toBe(413);
    expect(configured.json().error.message).toContain('4096 bytes');
  });

  test('JSON nested deeper than the limit is a 400 naming the limit, before validation', async () => {
    for (const url of ['/api/sweeps/plan', '/api/specs/validate', '/api/sweeps']) {
      const response = await post(app, editor, url, `{"spec":{"config":${nestedJson(4000)}}}`);
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error.issues).toEqual([
        {
          path: 'body',
          message: 'JSON nested deeper than 64 levels; at most 64 are allowed — flatten the document',
        },
      ]);
    }
    const arrays = await post(
      app,
      viewer,
      '/api/sweeps/plan',
      `{"spec":${'['.repeat(100)}${']'.repeat(100)}}`,
    );
    expect(arrays.statusCode).toBe(400);
    expect(arrays.json().error.message).toContain('nested deeper than 64 levels');
    const configured = await post(small, viewer, '/api/sweeps/plan', nestedJson(9));
    expect(configured.json().error.message).toContain('nested deeper than 8 levels');
  });

  test('nesting at the limit, and brackets inside strings, reach validation', async () => {
    // {"spec": {...}} is 2 levels; config nested to 62 more makes 64.
    const atLimit = await post(
      app,
      viewer,
      '/api/specs/validate',
      `{"kind":"sweep","spec":{"loto":"loto6","unique_ids":["N1"],"model":"nhits","config":${nestedJson(62)}}}`,
    );
    expect(atLimit.statusCode).toBe(200);
    const brackets = await post(app, viewer, '/api/specs/validate', {
      kind: 'sweep',
      spec: { ...BASE, name: `${'[{'.repeat(90)}"\\` },
    });
    expect(brackets.statusCode).toBe(200);
    expect(brackets.json().spec.name).toBe(`${'[{'.repeat(90)}"\\`);
  });

  test('a broken, empty or poisoned JSON body is a 400 naming the body', async () => {
    const response = await post(app, viewer, '/api/sweeps/plan', '{"spec": {');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0].path).toBe('body');
    expect(response.json().error.message).toMatch(/^body: not valid JSON \(.+\); send one JSON object$/);
    const prototype = await post(app, viewer, '/api/sweeps/plan', '{"spec": {"__proto__": {"x": 1}}}');
    expect(prototype.statusCode).toBe(400);
    expect(prototype.json().error.message).toBe(
      'body: the keys "__proto__" and "constructor.prototype" are not allowed; remove them',
    );
    const empty = await post(app, viewer, '/api/sweeps/plan', '');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toBe('body: empty; send a JSON object');
  });
});
