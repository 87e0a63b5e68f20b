/**
 * Reports in Chromium against the real server: an editor clicks Report on a run's page and on a
 * sweep's page, the archived report appears in the list, and its download link serves the
 * self-contained HTML as an attachment; a viewer sees the list but no Report button. And the
 * registry, reusing this lab's finished runs: promote one, point `champion` at it, open its model
 * card, compare it with a challenger, predict by alias.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promoteRun } from '@nflab/server';
import { seedComparableRuns } from '@nflab/store/testing';
import { launchBrowser, screenshot, signIn, type TestBrowser } from './browser.js';
import { startLab, type Lab } from './lab.js';

describe('reports in Chromium', () => {
  let lab: Lab;
  let browser: TestBrowser;

  beforeAll(async () => {
    lab = await startLab({ monitorIntervalMs: false, exportIntervalMs: false });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await lab?.close();
  });

  it("makes a run's HTML report with one click and downloads the archived file", async () => {
    const run = lab.runs[0]!;
    const page = await signIn(browser.context, lab.origin, 'editor');
    await page.goto(`${lab.origin}/runs/${run.id}`);
    await page.getByTestId('reports-panel').waitFor();
    await page.getByTestId('report-make-html').click();
    await page.getByTestId('report-row').first().waitFor();
    await expect(page.getByTestId('report-row').count()).resolves.toBe(1);
    const href = await page.getByTestId('report-download').first().getAttribute('href');
    expect(href).toMatch(/^\/api\/reports\/\d+\/download$/);
    // The browser's own request, with its session cookie: the file as archived.
    const response = await page.request.get(`${lab.origin}${href}`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers()['content-disposition']).toMatch(
      /^attachment; filename="nflab-run-report-\d+\.html"$/,
    );
    const html = await response.text();
    expect(html).toContain('Beats chance');
    expect(html).toContain(run.model);
    await screenshot(page, 'run-reports');
    await page.close();
  });

  it("makes a sweep's report from the sweep page; a viewer sees it but cannot make one", async () => {
    const { sweepId } = await seedComparableRuns(lab.db);
    const editor = await signIn(browser.context, lab.origin, 'editor');
    await editor.goto(`${lab.origin}/sweeps/${sweepId}`);
    await editor.getByTestId('report-make-html').click();
    await editor.getByTestId('report-row').first().waitFor();
    await screenshot(editor, 'sweep-reports');
    await editor.close();
    const viewer = await signIn(browser.context, lab.origin, 'viewer');
    await viewer.goto(`${lab.origin}/sweeps/${sweepId}`);
    await viewer.getByTestId('report-row').first().waitFor();
    await expect(viewer.getByTestId('report-make-html').count()).resolves.toBe(0);
    await viewer.close();
  });

  it('promotes a run, sets champion, shows its model card, compares a challenger and predicts by alias', async () => {
    const run = lab.runs[0]!;
    // A saved model and evaluated forecasts, as a worker leaves a finished training run.
    await lab.db.query(
      `UPDATE nf_model_runs SET model_properties = '{"modelDir": "/nowhere/model", "sha256": "e2e-model-hash"}',
              data_fingerprint = 'e2e-fingerprint', metrics = $2 WHERE id = $1`,
      [
        run.id,
        JSON.stringify({
          metric: 'mae',
          valid_loss: 0.8,
          cv: {
            points: 20,
            overall: { mae: 8 },
            baselines: { naive: { mae: 7.5 } },
            significance: { naive: { statistic: 1.1, pValue: 0.27, better: 'neither' } },
            beats_all_baselines: false,
          },
        }),
      ],
    );
    const page = await signIn(browser.context, lab.origin, 'editor');
    await page.goto(`${lab.origin}/runs/${run.id}`);
    await page.getByTestId('run-promote').click();
    await page.getByTestId('run-promote-dev').click();
    await page.waitForURL(`${lab.origin}/registry/${run.model}`);
    await page.locator('[data-testid="registry-version-row"][data-stage="dev"]').waitFor();

    await page.getByTestId('registry-alias-set').click();
    await page.locator('[data-testid="registry-alias-row"][data-alias="champion"]').waitFor();
    await page.locator('[data-testid="registry-history-row"][data-action="model.alias"]').waitFor();

    const card = page.frameLocator('[data-testid="registry-card-frame"]');
    await card.locator('[data-verdict="no"]').waitFor();
    // The card reloaded after the alias moved, and shows the data fingerprint and the baselines.
    await card.getByText('champion', { exact: true }).waitFor();
    const text = await card.locator('body').textContent();
    expect(text).toContain('e2e-fingerprint');
    expect(text).toContain('naive');
    await screenshot(page, 'registry-model');

    // A challenger with forecasts of the same draws: champion vs challenger on the page.
    await promoteRun(lab.db, {
      runId: lab.runs[1]!.id,
      name: run.model,
      stage: 'staging',
      alias: 'challenger',
    });
    for (const [runId, miss] of [
      [run.id, 1],
      [lab.runs[1]!.id, 2],
    ] as const)
      await lab.db.query(
        `INSERT INTO nf_cv_results (run_id, unique_id, ds, cutoff, y, model, suffix, value)
         SELECT $1, 'N1', DATE '2020-01-01' + i, DATE '2020-01-01' + i - 1, 10, 'M', '', 10 + $2 * (i % 3 - 1)
           FROM generate_series(0, 29) AS i`,
        [runId, miss],
      );
    await page.reload();
    await page.getByTestId('registry-compare-run').click();
    await expect(page.getByTestId('registry-compare-verdict').textContent()).resolves.toContain(
      'the champion has the lower MAE',
    );
    await expect(page.getByTestId('registry-compare-power').textContent()).resolves.toMatch(
      /needs \d+ points/,
    );
    await screenshot(page, 'registry-compare');

    await page.getByTestId('registry-predict-champion').click();
    await page.waitForURL(
      (url) => /^\/runs\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(run.id),
    );
    const child = page.url().split('/').pop() as string;
    const { rows } = await lab.db.query<{ parent_run_id: string; operation: string }>(
      'SELECT parent_run_id, operation FROM nf_model_runs WHERE id = $1',
      [child],
    );
    expect(rows[0]).toEqual({ parent_run_id: run.id, operation: 'predict' });
    await page.close();
  });
});
