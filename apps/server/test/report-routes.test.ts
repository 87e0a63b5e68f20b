/**
 * Reports over the API: editors make a run's, a sweep's and a comparison's report (audited), as
 * HTML and as a real PDF from Debian's Chromium; viewers list and download the archived file with
 * its content type, attachment name and SHA-256; and the refusals — anonymous 401, viewer 403, bad
 * input 400, unknown subject 404, no Chromium 503.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { REPORTS_KEPT_PER_SUBJECT } from '@nflab/contracts';
import { openTestDb, seedComparableRuns, testDbKinds, type TestDb } from '@nflab/store/testing';
import { buildServer } from '../src/app.js';
import { esc } from '../src/reports/html.js';
import { SAME_ORIGIN, signIn, type SignedIn } from './sign-in.js';
import { seedRuns } from './seed-runs.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const CHROMIUM = '/usr/bin/chromium';
const RESULTS = fileURLToPath(new URL('../../../test-results/', import.meta.url));

describe.each(await testDbKinds())('report routes on %s', (kind) => {
  let db: TestDb;
  let app: FastifyInstance;
  let noChromium: FastifyInstance;
  let viewer: SignedIn;
  let editor: SignedIn;
  let runId: string;
  let sweepId: string;
  let comparable: readonly string[];

  const post = (
    who: SignedIn | undefined,
    url: string,
    payload?: Record<string, unknown>,
    server = app,
  ): Promise<LightMyRequestResponse> =>
    server.inject({
      method: 'POST',
      url,
      headers: { origin: SAME_ORIGIN, ...(who ? { cookie: who.cookie } : {}) },
      ...(payload === undefined ? {} : { payload }),
    });
  const get = (who: SignedIn | undefined, url: string): Promise<LightMyRequestResponse> =>
    app.inject({ url, headers: who ? { cookie: who.cookie } : {} });

  beforeAll(async () => {
    db = await openTestDb(kind, { migrate: true });
    app = await buildServer({ db, exportIntervalMs: false, monitorIntervalMs: false });
    noChromium = await buildServer({
      db,
      exportIntervalMs: false,
      monitorIntervalMs: false,
      pdf: { executablePath: '/nonexistent/chromium' },
    });
    viewer = await signIn(db, 'viewer');
    editor = await signIn(db, 'editor');
    ({
      runIds: [runId],
    } = await seedRuns(db));
    const seeded = await seedComparableRuns(db);
    sweepId = seeded.sweepId;
    comparable = seeded.runIds;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await noChromium?.close();
    await db?.close();
  });

  test('anonymous callers get 401, viewers 403 when making a report; bad input is 400, unknown subjects 404', async () => {
    expect((await post(undefined, `/api/runs/${runId}/reports`)).statusCode).toBe(401);
    expect((await get(undefined, '/api/reports')).statusCode).toBe(401);
    expect((await get(undefined, '/api/reports/1/download')).statusCode).toBe(401);
    expect((await post(viewer, `/api/runs/${runId}/reports`)).statusCode).toBe(403);
    expect((await post(viewer, `/api/sweeps/${sweepId}/reports`)).statusCode).toBe(403);
    expect((await post(viewer, '/api/analyses/1/reports')).statusCode).toBe(403);
    const badFormat = await post(editor, `/api/runs/${runId}/reports`, { format: 'docx' });
    expect(badFormat.statusCode).toBe(400);
    expect(badFormat.json()).toMatchObject({ error: { code: 'config' } });
    expect((await post(editor, '/api/runs/not-a-uuid/reports')).statusCode).toBe(400);
    expect((await post(editor, `/api/runs/${runId}/reports`, { format: 'html', extra: 1 })).statusCode).toBe(
      400,
    );
    expect((await post(editor, `/api/sweeps/${sweepId}/reports`, { alpha: 2 })).statusCode).toBe(400);
    expect((await get(viewer, '/api/reports?limit=100000')).statusCode).toBe(400);
    expect((await get(viewer, '/api/reports/0/download')).statusCode).toBe(400);
    expect((await post(editor, `/api/runs/${UNKNOWN}/reports`)).statusCode).toBe(404);
    expect((await post(editor, `/api/sweeps/${UNKNOWN}/reports`)).statusCode).toBe(404);
    expect((await post(editor, '/api/analyses/999999/reports')).statusCode).toBe(404);
    expect((await get(viewer, '/api/reports/999999/download')).statusCode).toBe(404);
  });

  test('an editor makes a run report; viewers list it and download the very file, audited', async () => {
    const made = await post(editor, `/api/runs/${runId}/reports`, { format: 'html' });
    expect(made.statusCode).toBe(201);
    const item = made.json() as {
      id: number;
      sha256: string;
      bytes: number;
      kind: string;
      created_by: string;
    };
    expect(item).toMatchObject({ kind: 'run', format: 'html', run_id: runId, created_by: editor.username });
    const listed = (await get(viewer, `/api/reports?run_id=${runId}`)).json() as { items: { id: number }[] };
    expect(listed.items.map((i) => i.id)).toContain(item.id);
    const file = await get(viewer, `/api/reports/${item.id}/download`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(file.headers['content-disposition']).toBe(
      `attachment; filename="nflab-run-report-${item.id}.html"`,
    );
    expect(file.rawPayload.byteLength).toBe(item.bytes);
    expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(item.sha256);
    expect(file.headers['x-content-sha256']).toBe(item.sha256);
    expect(file.body).toContain('Beats chance');
    expect(file.body).toContain('auto_nhits');
    const { rows } = await db.query<{ action: string; actor: string }>(
      `SELECT action, actor FROM nf_audit_log WHERE entity = 'report' AND entity_id = $1 ORDER BY id`,
      [String(item.id)],
    );
    expect(rows).toEqual([
      expect.objectContaining({ action: 'report.create', actor: editor.username }),
      expect.objectContaining({ action: 'report.download', actor: viewer.username }),
    ]);
  });

  test("a sweep report holds the sweep's corrected leaderboard and its verdict", async () => {
    const made = await post(editor, `/api/sweeps/${sweepId}/reports`, { correction: 'bonferroni' });
    expect(made.statusCode).toBe(201);
    const item = made.json() as { id: number; params: Record<string, unknown> };
    expect(item).toMatchObject({ kind: 'sweep', sweep_id: sweepId, params: { correction: 'bonferroni' } });
    const board = (await get(viewer, `/api/sweeps/${sweepId}/leaderboard?correction=bonferroni`)).json() as {
      verdict: { text: string };
    };
    const file = await get(viewer, `/api/reports/${item.id}/download`);
    expect(file.body).toContain('bonferroni');
    expect(file.body).toContain(esc(board.verdict.text));
  });

  test('a comparison report is made from a stored comparison', async () => {
    const compared = await post(editor, '/api/analysis/compare', { run_ids: [...comparable] });
    expect(compared.statusCode).toBe(200);
    const { analysisId } = compared.json() as { analysisId: number };
    const made = await post(editor, `/api/analyses/${analysisId}/reports`, {});
    expect(made.statusCode).toBe(201);
    const item = made.json() as { id: number };
    expect(made.json()).toMatchObject({ kind: 'compare', analysis_id: analysisId });
    const listed = (await get(viewer, `/api/reports?analysis_id=${analysisId}`)).json() as {
      items: unknown[];
    };
    expect(listed.items).toHaveLength(1);
    expect((await get(viewer, `/api/reports/${item.id}/download`)).body).toContain('Pairs');
  });

  test(`a run keeps its newest ${REPORTS_KEPT_PER_SUBJECT} reports: making more drops the oldest`, async () => {
    const [, failed] = (await seedRuns(db)).runIds;
    const ids: number[] = [];
    for (let i = 0; i <= REPORTS_KEPT_PER_SUBJECT; i += 1) {
      const made = await post(editor, `/api/runs/${failed}/reports`);
      expect(made.statusCode).toBe(201);
      ids.push((made.json() as { id: number }).id);
    }
    const listed = (await get(viewer, `/api/reports?run_id=${failed}&limit=200`)).json() as {
      items: { id: number }[];
    };
    expect(listed.items.map((i) => i.id)).toEqual(ids.slice(1).reverse());
    expect((await get(viewer, `/api/reports/${ids[0]}/download`)).statusCode).toBe(404);
  }, 120_000);

  test('no Chromium: a PDF is refused 503 saying what is missing, and nothing is archived', async () => {
    const before = (await get(viewer, `/api/reports?run_id=${runId}`)).json() as { items: unknown[] };
    const refused = await post(editor, `/api/runs/${runId}/reports`, { format: 'pdf' }, noChromium);
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({
      error: { code: 'unavailable', message: expect.stringContaining('/nonexistent/chromium') },
    });
    const after = (await get(viewer, `/api/reports?run_id=${runId}`)).json() as { items: unknown[] };
    expect(after.items).toHaveLength(before.items.length);
  });

  test.runIf(existsSync(CHROMIUM))(
    'a PDF report is a real PDF, served as application/pdf',
    async () => {
      const made = await post(editor, `/api/runs/${runId}/reports`, { format: 'pdf' });
      expect(made.statusCode).toBe(201);
      const item = made.json() as { id: number; sha256: string };
      const file = await get(viewer, `/api/reports/${item.id}/download`);
      expect(file.headers['content-type']).toBe('application/pdf');
      expect(file.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(createHash('sha256').update(file.rawPayload).digest('hex')).toBe(item.sha256);
      // What the PDF's first page shows, to look at: the run's report as printed.
      const html = (await post(editor, `/api/runs/${runId}/reports`)).json() as { id: number };
      const page = await get(viewer, `/api/reports/${html.id}/download`);
      mkdirSync(RESULTS, { recursive: true });
      writeFileSync(`${RESULTS}run-report-${kind}.png`, await app.lab.pdf.png(page.body));
      writeFileSync(`${RESULTS}run-report-${kind}.pdf`, file.rawPayload);
    },
    120_000,
  );
});
