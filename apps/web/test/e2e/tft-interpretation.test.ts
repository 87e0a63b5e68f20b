/**
 * Issue 15's AutoTFT on the loto6 feature view in Chromium: a saved auto_tft run with hist_, stat_
 * and futr_ columns (one tiny trial) shows its variable-selection weights per group and its
 * attention heatmap on the run page, and forecasts the game's next draws past the last one with the
 * calendar futr columns. Skips (and says why) when the server executes no runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GAMES } from '@nflab/contracts';
import { futureCalendar } from '@nflab/store';
import { launchBrowser, screenshot, signIn, type TestBrowser } from './browser.js';
import { SAMPLE_TABLE, startLab, type Lab } from './lab.js';

/** How long the run may take under full-suite load (one trial of 2 steps and the refit). */
const RUN_END_TIMEOUT_MS = 150_000;

const FUTR = ['futr_weekday', 'futr_is_holiday'];
const HIST = ['hist_y_lag_1', 'hist_draw_sum'];
const STAT = ['stat_position', 'stat_is_bonus'];
const H = 2;
const INPUT_SIZE = 6;

const fixed = (value: unknown) => ({ kind: 'fixed', value });

/** One trial with a small fixed configuration: the E2E checks what is recorded and shown, not the search. */
const SPEC = {
  table_name: `${SAMPLE_TABLE}_features`,
  loto: 'loto6',
  unique_ids: ['N1'],
  model: 'auto_tft',
  num_samples: 1,
  h: H,
  max_steps: 2,
  // Validate after each of the 2 steps: an Auto trial is scored by its validation loss.
  config: { val_check_steps: 1 },
  search_space: {
    input_size: fixed(INPUT_SIZE),
    hidden_size: fixed(8),
    n_head: fixed(2),
    learning_rate: fixed(0.01),
    scaler_type: fixed('standard'),
    batch_size: fixed(8),
    windows_batch_size: fixed(64),
    random_seed: fixed(1),
  },
  exogenous: { mode: 'explicit', futr_exog_list: FUTR, hist_exog_list: HIST, stat_exog_list: STAT },
};

interface RunState {
  readonly status: string;
  readonly error_message: string | null;
  readonly logs: string | null;
  readonly model_properties: { readonly exogenous: Record<'futr' | 'hist' | 'stat', string[]> } | null;
  readonly interpretation: {
    readonly past: { readonly variables: string[] };
    readonly attention: number[][];
  } | null;
}

describe('TFT interpretability in Chromium', () => {
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

  it(
    'a saved AutoTFT run on the loto6 features shows its selection weights and attention, and forecasts the next draws',
    { timeout: 240_000 },
    async (context) => {
      const { workers } = lab.ready;
      if (!(workers === true || (typeof workers === 'number' && workers > 0)))
        context.skip('the server executes no runs (GET /api/ready reports no workers)');
      const page = await signIn(browser.context, lab.origin, 'editor');
      const started = await page.request.post(`${lab.origin}/api/runs`, {
        data: { spec: SPEC },
        headers: { origin: lab.origin },
      });
      expect(started.status(), await started.text()).toBe(201);
      const { runId } = (await started.json()) as { runId: string };

      const deadline = Date.now() + RUN_END_TIMEOUT_MS;
      let run: RunState;
      for (;;) {
        run = (await (await page.request.get(`${lab.origin}/api/runs/${runId}`)).json()) as RunState;
        if (['finished', 'failed', 'cancelled'].includes(run.status)) break;
        if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status} after the deadline`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect({ status: run.status, error: run.error_message }).toEqual({ status: 'finished', error: null });
      // The groups name the columns in the order the model read them (its recorded lists).
      const exog = run.model_properties?.exogenous;
      expect([exog?.hist, exog?.futr, exog?.stat].map((list) => [...(list ?? [])].sort())).toEqual(
        [HIST, FUTR, STAT].map((list) => [...list].sort()),
      );
      expect(run.interpretation?.past.variables).toEqual([...exog!.hist, ...exog!.futr, 'observed_target']);

      // Past the last draw: the next H draw dates of the game's schedule, with their calendar futr values.
      expect(run.logs).toContain('forecast beyond the data: futr columns');
      const last = (
        await lab.db.query<{ ds: string }>(
          `SELECT max(ds)::text AS ds FROM ${SAMPLE_TABLE} WHERE loto = 'loto6' AND unique_id = 'N1'`,
        )
      ).rows[0]?.ds as string;
      const next = futureCalendar({ game: GAMES.loto6, lastDs: last, count: H, columns: FUTR }).ds;
      const predictions = (await (
        await page.request.get(`${lab.origin}/api/runs/${runId}/predictions`)
      ).json()) as { unique_id: string; ds: string; suffix: string; value: number }[];
      const points = predictions.filter((p) => p.suffix === '');
      expect(points.map((p) => [p.unique_id, p.ds.slice(0, 10)])).toEqual(next.map((ds) => ['N1', ds]));
      expect(points.every((p) => Number.isFinite(p.value) && p.ds.slice(0, 10) > last)).toBe(true);

      // The run page: importance bars per group and the attention heatmap.
      await page.goto(`${lab.origin}/runs/${runId}`);
      await page.getByTestId('run-tab-interpretation').click();
      await page.getByTestId('tft-interpretation').waitFor();
      const bars = async (group: string) =>
        page
          .getByTestId(`tft-selection-${group}`)
          .getByTestId('tft-selection-bar')
          .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-variable')));
      expect((await bars('static')).sort()).toEqual([...STAT].sort());
      expect((await bars('past')).sort()).toEqual([...HIST, ...FUTR, 'observed_target'].sort());
      expect((await bars('future')).sort()).toEqual([...FUTR].sort());
      const heatmap = page.getByTestId('tft-attention');
      await expect(heatmap.getAttribute('data-rows')).resolves.toBe(String(H));
      await expect(heatmap.getAttribute('data-columns')).resolves.toBe(String(INPUT_SIZE + H));
      expect(await heatmap.getByTestId('tft-attention-cell').count()).toBe(H * (INPUT_SIZE + H));
      await screenshot(page, 'tft-interpretation');
      await page.close();
    },
  );
});
