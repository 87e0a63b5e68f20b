/**
 * Reports in Chromium against the real server: an editor clicks Report on a run's page and on a
 * sweep's page, the archived report appears in the list, and its download link serves the
 * self-contained HTML as an attachment; a viewer sees the list but no Report button.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
