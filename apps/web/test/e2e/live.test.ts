/**
 * The live half of the UI, which needs the server's run workers: a 2-run sweep from the wizard
 * progressing and finishing live, the finished runs in the history and their charts, predict from
 * the saved model, cancelling a running sweep, and a HINT run built in the wizard. The lab's server runs one worker; each test
 * skips (and says why) if `GET /api/ready` reports none.
 */
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { canvasInk, launchBrowser, screenshot, signIn, type Page, type TestBrowser } from './browser.js';
import { SAMPLE_TABLE, startLab, type Lab } from './lab.js';

/** A tiny search finishes in seconds on two shared cores; the whole flow must fit the 60 s timeout. */
const FINISH_TIMEOUT_MS = 45_000;
/** How long a queued model operation may take to end under full-suite load (its own speed is a bench's). */
const RUN_END_TIMEOUT_MS = 120_000;
/** How long the open run page may take to show a status the API already reports (live events). */
const PAGE_UPDATE_TIMEOUT_MS = 15_000;

interface RunState {
  readonly status: string;
  readonly error_message: string | null;
}

/** Polls `GET /api/runs/:id` until the run has ended; throws with its last state when it does not. */
const waitForRunEnd = async (page: Page, runId: string): Promise<RunState> => {
  const deadline = Date.now() + RUN_END_TIMEOUT_MS;
  for (;;) {
    const run = (await (
      await page.request.get(`${new URL(page.url()).origin}/api/runs/${runId}`)
    ).json()) as RunState;
    if (['finished', 'failed', 'cancelled'].includes(run.status)) return run;
    if (Date.now() > deadline)
      throw new Error(`run ${runId} still ${run.status} after ${RUN_END_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
};

describe('web lab live runs in Chromium', () => {
  let lab: Lab;
  let browser: TestBrowser;

  beforeAll(async () => {
    lab = await startLab({ workers: 1 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await lab?.close();
  });

  const requireWorkers = (context: TestContext) => {
    const { workers } = lab.ready;
    if (!(workers === true || (typeof workers === 'number' && workers > 0)))
      context.skip('the server executes no runs (GET /api/ready reports no workers)');
  };

  /**
   * Fills the wizard: N1 of loto6, AutoNHITS on both backends; `tiny` sets 1 trial of 10 steps in
   * Standard mode (fits two shared cores), else the Balanced preset (long enough to cancel). Ends on review.
   */
  const planSweep = async (page: Page, name: string, size: 'tiny' | 'Balanced') => {
    await page.goto(`${lab.origin}/experiments/new`);
    await page.getByTestId('wizard-reset').click();
    await page.getByTestId('wizard-name').fill(name);
    await page.getByTestId('wizard-table').click();
    await page.getByRole('option', { name: SAMPLE_TABLE, exact: true }).click();
    await page.getByTestId('wizard-game').click();
    await page.getByRole('option', { name: 'loto6' }).click();
    await page.getByTestId('wizard-series').click();
    await page.getByRole('option', { name: 'N1', exact: true }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-model-nhits').check();
    await page.getByTestId('wizard-backend-ray').check();
    await page.getByTestId('wizard-next').click();
    await page.getByTestId('wizard-next').click(); // past HINT, left off
    if (size === 'tiny') {
      await page.getByTestId('wizard-mode').getByText('Standard').click();
      await page.getByTestId('wizard-numSamples').fill('1');
      await page.getByTestId('wizard-maxSteps').fill('10');
    } else {
      await page.getByTestId('wizard-preset').getByText(size).click();
    }
    await page.getByTestId('wizard-next').click();
    await expect(page.getByTestId('plan-count').textContent()).resolves.toBe('2');
  };

  it('runs a 2-run sweep from the wizard and shows it progress live to the end', async (context) => {
    requireWorkers(context);
    const page = await signIn(browser.context, lab.origin, 'editor');
    await planSweep(page, 'e2e live sweep', 'tiny');
    await page.getByTestId('wizard-run').click();
    await page.getByTestId('sweep-page').waitFor();
    await page.getByTestId('live-connection').filter({ hasText: 'live' }).waitFor();
    await page.getByTestId('loss-chart').waitFor({ timeout: FINISH_TIMEOUT_MS });
    await page.waitForFunction(
      () => document.querySelector('[data-testid="sweep-finished"]')?.textContent === '2',
      undefined,
      { timeout: FINISH_TIMEOUT_MS },
    );
    await expect(page.getByTestId('sweep-status').getAttribute('data-status')).resolves.toBe('finished');
    expect(await canvasInk(page, 'loss-chart')).toBeGreaterThan(500);
    await screenshot(page, 'live-sweep-finished');
    await page.close();
  });

  it(
    'finds the finished runs in the history and shows their forecast, loss and resource charts',
    { timeout: 180_000 },
    async (context) => {
      requireWorkers(context);
      const page = await signIn(browser.context, lab.origin, 'editor');
      await page.goto(`${lab.origin}/runs?status=finished&model=auto_nhits&backend=optuna`);
      const rows = page.getByTestId('history-row');
      await rows.first().waitFor();
      await rows.first().getByTestId('history-run-link').click();
      await expect(page.getByTestId('run-status').getAttribute('data-status')).resolves.toBe('finished');
      await page.getByTestId('run-tab-forecast').click();
      expect(await canvasInk(page, 'forecast-chart')).toBeGreaterThan(200);
      await page.getByTestId('run-tab-training').click();
      expect(await canvasInk(page, 'loss-chart')).toBeGreaterThan(500);
      // A run of a few seconds may end before the monitor's first sample: the UI must match the data.
      const runId = new URL(page.url()).pathname.split('/').pop() ?? '';
      const samples = (await (
        await page.request.get(`${lab.origin}/api/runs/${runId}/resources`)
      ).json()) as unknown[];
      if (samples.length > 0) expect(await canvasInk(page, 'resource-chart-cpu')).toBeGreaterThan(100);
      else await page.getByText('No resource samples recorded yet.').waitFor();
      await screenshot(page, 'live-run-detail');

      // Predict from the saved model: a new run linked to this one, finished with a forecast.
      const parentPath = new URL(page.url()).pathname;
      await page.getByTestId('run-predict').click();
      await page.waitForURL((url) => url.pathname.startsWith('/runs/') && url.pathname !== parentPath);
      const childId = new URL(page.url()).pathname.split('/').pop() ?? '';
      await page.locator(`[data-testid="run-page"][data-run-id="${childId}"]`).waitFor();
      // The API is the truth: wait for the child run to end there (a busy machine may queue it behind
      // other suites' work), then the page must show that same end — so a slow run and a stale page
      // fail with different messages instead of one bare timeout.
      const child = await waitForRunEnd(page, childId);
      const shown = await page
        .waitForFunction(
          (status) =>
            document.querySelector('[data-testid="run-status"]')?.getAttribute('data-status') === status,
          child.status,
          { timeout: PAGE_UPDATE_TIMEOUT_MS },
        )
        .then(() => child.status)
        .catch(() => page.getByTestId('run-status').getAttribute('data-status'));
      expect({ page: shown }, `the run page did not show the API's status ${child.status}`).toEqual({
        page: child.status,
      });
      expect({ status: child.status, error: child.error_message }).toEqual({
        status: 'finished',
        error: null,
      });
      await page.reload();
      await page.getByTestId('run-tab-forecast').click();
      expect(await canvasInk(page, 'forecast-chart')).toBeGreaterThan(200);
      await screenshot(page, 'live-predict');
      await page.close();
    },
  );

  it('cancels a running sweep', async (context) => {
    requireWorkers(context);
    const page = await signIn(browser.context, lab.origin, 'editor');
    await planSweep(page, 'e2e sweep to cancel', 'Balanced');
    await page.getByTestId('wizard-run').click();
    await page.getByTestId('sweep-page').waitFor();
    await page.getByTestId('sweep-cancel').click();
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="sweep-status"]')?.getAttribute('data-status') === 'cancelled',
      undefined,
      { timeout: FINISH_TIMEOUT_MS },
    );
    expect(await page.getByTestId('sweep-cancel').count()).toBe(0);
    await screenshot(page, 'live-sweep-cancelled');
    await page.close();
  });

  it(
    'builds a HINT run in the wizard, submits its hierarchy and records coherent forecasts',
    { timeout: 120_000 },
    async (context) => {
      requireWorkers(context);
      const page = await signIn(browser.context, lab.origin, 'editor');
      await page.goto(`${lab.origin}/experiments/new`);
      await page.getByTestId('wizard-reset').click();
      await page.getByTestId('wizard-name').fill('e2e hint');
      await page.getByTestId('wizard-table').click();
      await page.getByRole('option', { name: SAMPLE_TABLE, exact: true }).click();
      await page.getByTestId('wizard-game').click();
      await page.getByRole('option', { name: 'loto6' }).click();
      await page.getByTestId('wizard-series').click();
      await page.getByRole('option', { name: 'N1', exact: true }).click();
      await page.keyboard.press('Escape');
      await page.getByTestId('wizard-next').click();
      await page.getByTestId('wizard-model-nhits').check();
      await page.getByTestId('wizard-next').click();

      // HINT over one series: the step names the field and the fix, and holds the wizard here.
      await page.getByTestId('wizard-hint').check();
      await expect(page.getByTestId('hint-issues').textContent()).resolves.toContain(
        'Series (Data step): HINT sums series and 1 chosen is too few; choose at least 2.',
      );
      await expect(page.getByTestId('wizard-next').isDisabled()).resolves.toBe(true);
      await page.getByTestId('wizard-back').click();
      await page.getByTestId('wizard-back').click();
      await page.getByTestId('wizard-series').click();
      await page.getByRole('option', { name: 'N2', exact: true }).click();
      await page.keyboard.press('Escape');
      await page.getByTestId('wizard-next').click();
      // Turning HINT on switched the search off (HINT wraps a plain model).
      await expect(page.getByTestId('wizard-search').isChecked()).resolves.toBe(false);
      await page.getByTestId('wizard-next').click();
      await page.getByTestId('hint-reconciliation-MinTraceOLS').check();
      expect(await page.getByTestId('hint-issues').count()).toBe(0);
      await screenshot(page, 'wizard-hint-step');
      await page.getByTestId('wizard-next').click();
      await page.getByTestId('wizard-inputSize').fill('8');
      await page.getByTestId('wizard-next').click();

      await expect(page.getByTestId('plan-count').textContent()).resolves.toBe('1');
      const hierarchy = {
        aggregates: [{ id: 'total', members: ['N1', 'N2'] }],
        reconciliation: 'MinTraceOLS',
      };
      const preview = JSON.parse((await page.getByTestId('review-spec').textContent()) ?? '{}') as object;
      expect(preview).toMatchObject({ model: 'nhits', hierarchy, config: { input_size: 8 } });
      await screenshot(page, 'wizard-hint-review');
      const submitted = page.waitForRequest(
        (request) => request.method() === 'POST' && new URL(request.url()).pathname === '/api/sweeps',
      );
      await page.getByTestId('wizard-run').click();
      const body = (await submitted).postDataJSON() as { spec: object };
      expect(body.spec).toMatchObject({
        hierarchy,
        loss: { id: 'distributionloss', distribution: 'Normal' },
        exogenous: { mode: 'none' },
      });

      // The run lands: the HINT forecaster, its hierarchy in the spec, a total equal to its parts.
      await page.getByTestId('sweep-page').waitFor();
      const sweepId = new URL(page.url()).pathname.split('/').pop() ?? '';
      const api = async <T>(path: string): Promise<T> =>
        (await (await page.request.get(`${lab.origin}/api${path}`)).json()) as T;
      let runs: { items: { id: string }[] } = { items: [] };
      await expect
        .poll(async () => (runs = await api(`/runs?sweep_id=${sweepId}`)).items.length, { timeout: 15_000 })
        .toBe(1);
      const runId = runs.items[0]?.id ?? '';
      const run = await waitForRunEnd(page, runId);
      expect({ status: run.status, error: run.error_message }).toEqual({ status: 'finished', error: null });
      const record = await api<{ spec: object; model_properties: { label: string } }>(`/runs/${runId}`);
      expect(record.spec).toMatchObject({ hierarchy });
      expect(record.model_properties.label).toBe('HINT');
      const forecasts = (
        await api<{ unique_id: string; ds: string; suffix: string; value: number }[]>(
          `/runs/${runId}/predictions`,
        )
      ).filter((row) => row.suffix === '');
      const at = (id: string) => forecasts.find((row) => row.unique_id === id)?.value ?? Number.NaN;
      expect(forecasts.map((row) => row.unique_id).sort()).toEqual(['N1', 'N2', 'total']);
      expect(at('total')).toBeCloseTo(at('N1') + at('N2'), 4);
      await page.close();
    },
  );
});
