/**
 * The data page's drift view and the monitor form's body: a stored check's statistic rows grouped
 * per (series, column) with the uniformity verdict, the default windows, and a draft turned into
 * the API body with server issue paths mapped back to its fields.
 */
import { describe, expect, it } from 'vitest';
import type { StoredDriftCheck } from '../../src/api/types.js';
import { driftView, halfWindows } from '../../src/pages/data/drift-view.js';
import { draftFieldOf, EMPTY_MONITOR_DRAFT, monitorRequest } from '../../src/pages/monitors/monitor-form.js';

const metric = (
  unique_id: string | null,
  feature: string,
  name: string,
  value: number,
  extra: Partial<StoredDriftCheck['metrics'][number]> = {},
): StoredDriftCheck['metrics'][number] => ({
  unique_id,
  feature,
  metric: name,
  value,
  p_value: null,
  threshold: null,
  drifted: null,
  details: {},
  ...extra,
});

const CHECK: StoredDriftCheck = {
  check_id: 'c1',
  table: 'nf_loto_final',
  loto: 'loto6',
  at: '2026-12-04T12:00:00.000Z',
  reference: { from: '2000-01-01', to: '2009-12-31' },
  current: { from: '2010-01-01', to: '2020-12-31' },
  drifted: 2,
  metrics: [
    metric('N1', 'y', 'chi2', 12.5, { p_value: 0.2, drifted: false, details: { adjusted_p_value: 0.9 } }),
    metric('N1', 'y', 'psi', 0.05, { drifted: true }),
    metric('N1', 'y', 'js', 0.1),
    metric('N1', 'y', 'kl', 0.02),
    metric('N2', 'hist_x', 'ks', 0.4, { p_value: 1e-6, drifted: true, details: { adjusted_p_value: 1e-5 } }),
    metric('N2', 'hist_x', 'psi', 0.8),
    metric('N2', 'hist_x', 'wasserstein', 2.9),
    metric(null, 'numbers', 'uniformity_chi2', 80.1, {
      p_value: 1e-4,
      drifted: true,
      details: { adjusted_p_value: 5e-4, draws: 150 },
    }),
    metric(null, 'numbers', 'uniformity_chi2_reference', 30, { p_value: 0.6 }),
  ],
};

describe('driftView', () => {
  it('gives one line per (series, column), drifted first, with the test deciding (not the PSI row)', () => {
    const { columns } = driftView(CHECK);
    expect(columns.map((line) => `${line.uniqueId}:${line.column}`)).toEqual(['N2:hist_x', 'N1:y']);
    expect(columns[0]).toMatchObject({
      test: 'ks',
      statistic: 0.4,
      adjustedPValue: 1e-5,
      psi: 0.8,
      wasserstein: 2.9,
      drifted: true,
    });
    expect(columns[1]).toMatchObject({
      test: 'chi2',
      pValue: 0.2,
      adjustedPValue: 0.9,
      js: 0.1,
      kl: 0.02,
      wasserstein: null,
      drifted: false,
    });
  });

  it("reads the current window's uniformity test, not the reference one", () => {
    expect(driftView(CHECK).uniformity).toEqual({
      statistic: 80.1,
      pValue: 1e-4,
      adjustedPValue: 5e-4,
      draws: 150,
      drifted: true,
    });
    expect(driftView({ ...CHECK, metrics: CHECK.metrics.slice(0, 4) }).uniformity).toBeNull();
  });
});

describe('halfWindows', () => {
  it('splits a range into a reference and the current window that follows it, day by day', () => {
    expect(halfWindows('2000-01-01', '2000-01-10')).toEqual({
      reference: { from: '2000-01-01', to: '2000-01-05' },
      current: { from: '2000-01-06', to: '2000-01-10' },
    });
  });
});

describe('monitor form', () => {
  it('sends what was typed, trimmed, and leaves empty optional fields out', () => {
    expect(monitorRequest({ ...EMPTY_MONITOR_DRAFT, name: ' weekly ', table: 'nf_loto_final' })).toEqual({
      name: 'weekly',
      table: 'nf_loto_final',
      cron: '0 6 * * 1',
      current_draws: 50,
      reference_draws: 200,
      thresholds: { p_value: 0.01 },
    });
    expect(
      monitorRequest({
        ...EMPTY_MONITOR_DRAFT,
        loto: 'loto6',
        webhookUrl: 'https://x.example/h',
        retrainRunId: 'r',
      }),
    ).toMatchObject({ loto: 'loto6', webhook_url: 'https://x.example/h', retrain_run_id: 'r' });
  });

  it('maps the server issue paths back to the fields that show them', () => {
    expect(draftFieldOf('body.thresholds.p_value')).toBe('pValue');
    expect(draftFieldOf('body.cron')).toBe('cron');
    expect(draftFieldOf('body')).toBeUndefined();
  });
});
