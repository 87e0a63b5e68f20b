import { ConfigError, Rng } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import { grangerCausality, minGrangerPoints } from '@nflab/analysis';
import { expectRelative, fixture } from './helpers.js';

const reference = fixture.granger_x_causes_y;

describe('grangerCausality against statsmodels grangercausalitytests', () => {
  it('matches granger_x_causes_y at every lag and statistic to 1e-6', () => {
    const result = grangerCausality(reference.y, reference.x, { maxLag: 4 });
    expect(result.byLag).toHaveLength(4);
    for (const lag of result.byLag) {
      const expected = reference.by_lag[String(lag.lag)];
      expectRelative(lag.ssrFTest?.statistic, expected.ssr_ftest_F);
      expectRelative(lag.ssrFTest?.pValue, expected.ssr_ftest_p);
      expect(lag.ssrFTest?.dfDenom).toBe(expected.df_denom);
      expect(lag.ssrFTest?.dfNum).toBe(expected.df_num);
      expectRelative(lag.ssrChi2Test?.statistic, expected.ssr_chi2test);
      expectRelative(lag.likelihoodRatioTest?.statistic, expected.lrtest);
      expect(lag.ssrChi2Test?.df).toBe(lag.lag);
      expect(lag.nobs).toBe(200 - lag.lag);
      expect(lag.reason).toBeNull();
    }
  });

  it('gives chi-square p-values of the chi² and LR statistics (scipy.stats.chi2.sf)', () => {
    const lag2 = grangerCausality(reference.y, reference.x, { maxLag: 2 }).byLag[1];
    expectRelative(lag2?.ssrChi2Test?.pValue, 4.868759736690382e-16, 1e-9);
    expectRelative(lag2?.likelihoodRatioTest?.pValue, 7.973332129792669e-14, 1e-9);
  });

  it('selects the lag by AIC or BIC of the unrestricted model on the common sample', () => {
    // numpy lstsq on rows 4…199 (nobs 196): AIC = −2 llf + 2(2p+1), BIC = −2 llf + ln(196)(2p+1).
    const aic = [612.8167741673427, 553.0765902043477, 555.4429483960221, 552.9745640811093];
    const bic = [622.6511181450343, 569.4671635005003, 578.3897510106357, 582.477596014184];
    const byAic = grangerCausality(reference.y, reference.x, { maxLag: 4 });
    byAic.selection.byLag.forEach((entry, i) => {
      expectRelative(entry.aic, aic[i] ?? 0, 1e-10);
      expectRelative(entry.bic, bic[i] ?? 0, 1e-10);
    });
    expect(byAic.selection).toMatchObject({ nobs: 196, selectedLag: 4 });
    expect(byAic.selected).toEqual(byAic.byLag[3]);
    const byBic = grangerCausality(reference.y, reference.x, { maxLag: 4, criterion: 'bic' });
    expect(byBic.selection.selectedLag).toBe(2);
    expect(byBic.selected?.lag).toBe(2);
  });
});

describe('grangerCausality, edge cases', () => {
  const rng = new Rng(5, 'granger-test');
  const noise = Array.from({ length: 14 }, () => rng.normal());
  const other = Array.from({ length: 14 }, () => rng.normal());

  it('needs 3·maxLag + 2 points (one residual df at the largest lag), and says so', () => {
    expect(minGrangerPoints(4)).toBe(14);
    expect(grangerCausality(noise, other, { maxLag: 4 }).byLag[3]?.ssrFTest?.dfDenom).toBe(1);
    expect(() => grangerCausality(noise.slice(0, 13), other.slice(0, 13), { maxLag: 4 })).toThrow(
      ConfigError,
    );
    expect(() => grangerCausality(noise.slice(0, 13), other.slice(0, 13), { maxLag: 4 })).toThrow(
      /needs at least 14 aligned points \(3·maxLag \+ 2\), got 13; the largest maxLag for 13 points is 3/,
    );
    expect(() => grangerCausality(noise.slice(0, 4), other.slice(0, 4), { maxLag: 1 })).toThrow(/at least 5/);
    expect(grangerCausality(noise, other).maxLag).toBe(4);
  });

  it('returns null tests with a reason for a constant x, and no selected lag', () => {
    const result = grangerCausality(
      noise,
      noise.map(() => 2),
      { maxLag: 2 },
    );
    expect(result.byLag[0]).toMatchObject({
      ssrFTest: null,
      ssrChi2Test: null,
      likelihoodRatioTest: null,
      reason: 'x is constant over the lag-1 sample',
    });
    expect(result.selection.selectedLag).toBeNull();
    expect(result.selected).toBeNull();
  });

  it('returns null with a reason for a perfect fit (y_t = x_{t−1})', () => {
    const y = [0, ...other.slice(0, 13)];
    expect(grangerCausality(y, other, { maxLag: 1 }).byLag[0]?.reason).toBe(
      'the lag-1 model fits y perfectly',
    );
  });

  it('rejects NaN, length mismatch and a bad maxLag or criterion', () => {
    expect(() => grangerCausality([...noise.slice(0, 13), Number.NaN], other)).toThrow(/y\[13\]/);
    expect(() => grangerCausality(noise, other.slice(1))).toThrow(/equal lengths/);
    expect(() => grangerCausality(noise, other, { maxLag: 0 })).toThrow(/maxLag must be an integer >= 1/);
    // @ts-expect-error -- a criterion from untyped input
    expect(() => grangerCausality(noise, other, { criterion: 'hqic' })).toThrow(/criterion/);
  });
});
