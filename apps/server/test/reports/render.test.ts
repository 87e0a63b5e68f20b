/**
 * Report rendering, pure: every user-written string escaped, nothing fetched from anywhere (no
 * http(s) src/href, no script), and the verdict on chance stated plainly for each kind of report.
 */
import { describe, expect, test } from 'vitest';
import type { LeaderboardDto } from '@nflab/contracts';
import type { ModelRunRow } from '@nflab/store';
import { renderCompareReport } from '../../src/reports/compare-report.js';
import { esc } from '../../src/reports/html.js';
import { renderRunReport, runVerdict } from '../../src/reports/run-report.js';
import { renderSweepReport } from '../../src/reports/sweep-report.js';

const EVIL = `<script>alert(1)</script><img src="https://evil.example/x.png" onerror="x()">'"\`&`;

/** No markup from the data, no way to reach the network. */
const expectSelfContained = (html: string): void => {
  // Data text is escaped, so every tag in the page is the renderer's own: check each of them.
  const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
  expect(tags.length).toBeGreaterThan(20);
  for (const raw of tags) {
    // Attribute values are escaped text (a `"` in them is &quot;): only names and markup remain.
    const tag = raw.replace(/"[^"]*"/g, '""');
    expect(tag).not.toMatch(/^<(script|img|iframe|link|object|embed|image|use|a|form|base)\b/i);
    // No event handler, no src/href (nor xlink:href) at all, so none to another host.
    expect(tag).not.toMatch(/\s(on\w+|src|href|xlink:href|action|srcset)\s*=/i);
    expect(raw).not.toMatch(/="\s*(https?:|\/\/)|url\(/i);
  }
  expect(html).not.toMatch(/url\(|@import/i);
  expect(html).toContain("default-src 'none'");
  // The evil string is there, as text.
  expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=&quot;https://evil.example');
};

const run = (metrics: Record<string, unknown>): ModelRunRow =>
  ({
    id: '00000000-0000-4000-8000-000000000001',
    table_name: 'nf_loto_final',
    loto: EVIL,
    unique_ids: ['N1', EVIL],
    model_name: EVIL,
    backend: 'optuna',
    horizon: 2,
    loss: 'mae',
    status: 'finished',
    start_time: new Date('2026-01-03T00:00:00Z'),
    end_time: new Date('2026-01-03T00:01:00Z'),
    duration_seconds: 60,
    metrics,
    best_params: { input_size: 8, note: EVIL },
    resource_summary: { peak_rss: 2000 },
    error_message: EVIL,
    spec: { model: EVIL },
    sweep_id: null,
  }) as unknown as ModelRunRow;

const evaluated = (beats: boolean) => ({
  points: 8,
  overall: { mae: 2.5, rmse: 3 },
  baselines: { naive: { mae: 3, rmse: 3.5 }, [EVIL]: { mae: 4, rmse: 4 } },
  significance: { naive: { statistic: -2.5, pValue: 0.03, better: beats ? 'model' : 'neither' } },
  beats_all_baselines: beats,
});

describe('report rendering', () => {
  test('esc escapes the five HTML specials and the backtick', () => {
    expect(esc(`<a href="x">'&\``)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#96;');
    expect(esc(null)).toBe('');
  });

  test('a run report escapes every run-written string, embeds its chart as SVG and fetches nothing', () => {
    const html = renderRunReport({
      run: run({ metric: 'mae', valid_loss: 3, test: evaluated(false) }),
      trials: [
        {
          id: 1,
          number: 0,
          state: 'COMPLETE',
          value: 2.75,
          params: { note: EVIL },
          intermediate: [],
          datetime_start: null,
          datetime_complete: null,
          duration_seconds: 20,
          error_message: null,
        },
      ],
      trialCount: 1,
      points: [
        { unique_id: EVIL, at: '2026-01-08', y: 3, yhat: 2.5 },
        { unique_id: EVIL, at: '2026-01-11', y: 5, yhat: 4 },
      ],
      resources: [],
      madeAt: '2026-12-04T00:00:00.000Z',
      tags: { phase: EVIL },
      dataVersion: {
        dataset: {
          id: 1,
          name: 'nf_loto_final:loto6:abc',
          table_name: 'nf_loto_final',
          loto: 'loto6',
          unique_ids: ['N1'],
          ds_min: '2000-10-05',
          ds_max: '2020-07-09',
          row_count: 1000,
          fingerprint: 'abc123',
        },
        feature_set: null,
      },
    });
    expectSelfContained(html);
    expect(html).toContain('abc123');
    expect(html).toContain('2000-10-05 … 2020-07-09');
    expect(html).toContain('<h2>Tags</h2>');
    expect(html).toContain('<svg');
    expect(html).toContain('<polyline');
    expect(html).toContain('Beats chance: no');
    expect(html).toContain('data-verdict="no"');
    expect(html).toMatch(/naive/);
  });

  test('a run report shows cross-validation by fold with the folds’ summary', () => {
    const html = renderRunReport({
      run: run({
        cv: {
          ...evaluated(false),
          folds: [
            { fold: 0, cutoffs: ['2026-01-01'], points: 4, metrics: { mae: 2, r2: 0.5 } },
            { fold: 1, cutoffs: ['2026-01-04'], points: 4, metrics: { mae: 4, r2: -0.25 } },
          ],
          fold_summary: {
            mae: { mean: 3, std: Math.SQRT2, min: 2, max: 4, folds: 2 },
            r2: { mean: 0.125, std: 0.53, min: -0.25, max: 0.5, folds: 2 },
          },
        },
      }),
      trials: [],
      trialCount: 0,
      points: [],
      resources: [],
      madeAt: '2026-12-04T00:00:00.000Z',
    });
    expect(html).toContain('<h2>Cross-validation by fold</h2>');
    expect(html).toContain('<td>std (n − 1)</td><td></td><td></td><td>1.414</td>');
    expect(html).toContain('<p>No tags.</p>');
  });

  test('the run verdict says yes only when the run beats every baseline with significance', () => {
    expect(runVerdict({ test: evaluated(true) }).beats).toBe(true);
    expect(runVerdict({ test: evaluated(false) }).beats).toBe(false);
    expect(runVerdict({ cv: { points: 3, overall: {}, baselines_skipped: 'too short' } })).toMatchObject({
      beats: null,
      text: expect.stringContaining('too short'),
    });
    expect(runVerdict({ valid_loss: 1 }).beats).toBeNull();
  });

  test('a sweep report shows the leaderboard, its corrected verdict and escapes run labels', () => {
    const leaderboard: LeaderboardDto = {
      metric: 'mae',
      correction: 'holm',
      alpha: 0.05,
      configurations: 2,
      ranked: 1,
      rows: [
        { kind: 'baseline', baseline: 'naive', rank: 1, value: 2 },
        {
          kind: 'run',
          runId: '00000000-0000-4000-8000-000000000001',
          label: EVIL,
          rank: 2,
          value: 2.5,
          source: 'cv',
          points: 8,
          bestBaseline: 'naive',
          bestBaselineValue: 2,
          pValue: 0.4,
          adjustedPValue: 0.8,
          beatsChance: false,
        },
      ],
      unranked: [{ runId: '00000000-0000-4000-8000-000000000002', label: EVIL, reason: EVIL }],
      verdict: { beatsChance: false, text: 'No configuration beats the naive baselines after correction.' },
    };
    const html = renderSweepReport({
      sweep: { id: '00000000-0000-4000-8000-00000000000a', name: EVIL, status: 'finished' },
      leaderboard,
      madeAt: 'now',
    });
    expectSelfContained(html);
    expect(html).toContain('Beats chance: no');
    expect(html).toContain('No configuration beats the naive baselines after correction.');
    expect(html).toContain('holm');
    expect(html).toContain('<rect');
  });

  test('a comparison report lists pairs with corrected p-values and does not claim skill over chance', () => {
    const html = renderCompareReport({
      analysisId: 7,
      madeAt: 'now',
      comparison: {
        loss: 'absolute',
        correction: 'holm',
        alpha: 0.05,
        points: 8,
        series: 1,
        h: 1,
        dropped: [],
        runs: [
          { runId: 'a', label: EVIL, meanLoss: 1.5, meanRank: 1.2 },
          { runId: 'b', label: 'other', meanLoss: 2, meanRank: 1.8 },
        ],
        best: 'a',
        pairs: [
          {
            a: 'a',
            b: 'b',
            dieboldMariano: { statistic: -1, pValue: 0.3 },
            tTest: { statistic: -1, pValue: 0.3 },
            wilcoxon: { statistic: 3, pValue: 0.4 },
            effectSizes: {
              cohensDz: { value: 0.2, magnitude: 'small' },
              cliffsDelta: { value: 0.1, magnitude: 'negligible' },
            },
            difference: { estimate: -0.5, lower: -1, upper: 0 },
            adjusted: { dieboldMariano: 0.3, tTest: 0.3, wilcoxon: 0.4 },
          },
        ],
        many: null,
      },
    });
    expectSelfContained(html);
    expect(html).toContain('No pair of runs differs significantly');
    expect(html).toContain('Beats chance: not established');
  });
});
