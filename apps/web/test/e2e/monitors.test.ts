/**
 * Drift monitoring in Chromium against the real server and a PGlite lab: a drift check run from the
 * data page (per-column statistics and the numbers' uniformity verdict), residual anomalies
 * detected from a run's page, and a monitor created (after a refused schedule), run now, opened and
 * deleted from the Monitors page; a viewer sees the monitors but none of the editing controls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESIDUAL_SPIKE_INDEX, residualRunDay, seedResidualRun } from '@nflab/store/testing';
import { launchBrowser, screenshot, signIn, type TestBrowser } from './browser.js';
import { SAMPLE_TABLE, startLab, type Lab } from './lab.js';

describe('drift monitoring in Chromium', () => {
  let lab: Lab;
  let browser: TestBrowser;

  beforeAll(async () => {
    // No scheduler ticks: the monitor runs only when the test says "Run now".
    lab = await startLab({ monitorIntervalMs: false });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await lab?.close();
  });

  it('runs a drift check of loto6 from the data page and shows each column and the uniformity verdict', async () => {
    const page = await signIn(browser.context, lab.origin, 'editor');
    await page.goto(`${lab.origin}/data`);
    await page.getByTestId('data-table-select').click();
    await page.getByRole('option', { name: new RegExp(`^${SAMPLE_TABLE} `) }).click();
    await page.getByTestId('data-game-select').click();
    await page.getByRole('option', { name: 'loto6' }).click();
    await page.getByTestId('data-tab-drift').click();
    await page.getByTestId('empty-state').waitFor();
    // The windows start as the two halves of the game's draws.
    await expect(page.getByTestId('drift-reference-from').inputValue()).resolves.toBe('2000-10-05');
    await page.getByTestId('drift-run').click();
    await page.getByTestId('drift-check').waitFor();
    const verdict = page.getByTestId('drift-uniformity');
    expect(['true', 'false']).toContain(await verdict.getAttribute('data-drifted'));
    await expect(verdict.textContent()).resolves.toMatch(/Chi-square [\d.,]+ over [\d,]+ draws/);
    // y of each of the seven series (N1..N6 and the bonus number B1).
    await expect(page.getByTestId('drift-column-row').count()).resolves.toBe(7);
    await screenshot(page, 'data-drift-check');
    await page.close();
  });

  it("detects the spike in a run's residuals from the run page", async () => {
    const runId = await seedResidualRun(lab.db);
    const page = await signIn(browser.context, lab.origin, 'editor');
    await page.goto(`${lab.origin}/runs/${runId}`);
    await page.getByTestId('run-tab-anomalies').click();
    await page.getByTestId('empty-state').waitFor();
    await page.getByTestId('anomalies-detect').click();
    await page.getByTestId('anomalies-summary').waitFor();
    await expect(page.getByTestId('anomalies-summary').textContent()).resolves.toMatch(
      /^z-score: \d+ series scored, [1-9]\d* point\(s\) flagged/,
    );
    const rows = page.getByTestId('anomaly-row');
    await rows.first().waitFor();
    const spike = new Date(`${residualRunDay(RESIDUAL_SPIKE_INDEX)}T00:00:00Z`);
    const spikeText = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(
      spike,
    );
    await expect(rows.filter({ hasText: 'N1' }).filter({ hasText: spikeText }).count()).resolves.toBe(1);
    await screenshot(page, 'run-anomalies');
    await page.close();
  });

  it('creates a monitor (a too frequent schedule is refused under its field), runs it now, opens and deletes it', async () => {
    const page = await signIn(browser.context, lab.origin, 'editor');
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${lab.origin}/monitors`);
    await page.getByTestId('empty-state').waitFor();
    await page.getByTestId('monitor-field-name').fill('loto6-weekly');
    await page.getByTestId('monitor-field-table').click();
    await page.getByRole('option', { name: SAMPLE_TABLE, exact: true }).click();
    await page.getByTestId('monitor-field-cron').fill('* * * * * *');
    await page.getByTestId('monitor-field-currentDraws').fill('100');
    await page.getByTestId('monitor-field-referenceDraws').fill('400');
    await page.getByTestId('monitor-create').click();
    await page.getByText(/a monitor runs at most once every 60 s/).waitFor();
    await page.getByTestId('monitor-field-cron').fill('0 6 * * 1');
    await page.getByTestId('monitor-create').click();

    const row = page.locator('[data-testid="monitor-row"][data-name="loto6-weekly"]');
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('last 100 vs 400 before');
    await expect(row.getByTestId('monitor-run-status').getAttribute('data-status')).resolves.toBe('never');
    await row.getByTestId('monitor-run-now').click();
    // Real draws: whether they drift is the data's business, but the check must run (not error).
    await page.waitForFunction(() =>
      ['ok', 'alert'].includes(
        document
          .querySelector('[data-name="loto6-weekly"] [data-testid="monitor-run-status"]')
          ?.getAttribute('data-status') ?? '',
      ),
    );
    await screenshot(page, 'monitors-list');

    await row.getByRole('link', { name: 'loto6-weekly' }).click();
    await page.getByTestId('monitor-detail').waitFor();
    await expect(page.getByTestId('monitor-runs-row').count()).resolves.toBe(1);
    await screenshot(page, 'monitor-detail');
    await page.getByTestId('monitor-delete').click();
    await page.waitForURL(/\/monitors$/);
    await page.getByTestId('empty-state').waitFor();
    await page.close();
  });

  it('shows a viewer the monitors without the form or the run and delete buttons', async () => {
    const editor = await signIn(browser.context, lab.origin, 'editor');
    const created = await editor.evaluate(async (table) => {
      const response = await fetch('/api/monitors', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'viewer-sees', table, cron: '0 6 * * 1' }),
      });
      return response.status;
    }, SAMPLE_TABLE);
    expect(created).toBe(201);
    await editor.close();
    const page = await signIn(browser.context, lab.origin, 'viewer');
    await page.goto(`${lab.origin}/monitors`);
    await page.locator('[data-testid="monitor-row"][data-name="viewer-sees"]').waitFor();
    await expect(page.getByTestId('monitor-form').count()).resolves.toBe(0);
    await expect(page.getByTestId('monitor-run-now').count()).resolves.toBe(0);
    await expect(page.getByTestId('monitor-delete').count()).resolves.toBe(0);
    await page.close();
  });
});
