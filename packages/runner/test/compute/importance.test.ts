/**
 * The importance methods on a model fitted in memory where y provably rests on one futr column and
 * not on another: rankings, KernelSHAP against brute-force Shapley values of the same game, and
 * integrated gradients' completeness.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@nflab/contracts';
import { explainWindows, NeuralForecast, setBackend, type WindowExplainer } from '@nflab/engine';
import { computeImportance } from '../../src/compute/importance/index.js';
import type {
  ImportanceRow,
  IntegratedGradientsSummary,
  KernelShapSummary,
} from '../../src/compute/index.js';

const day = (i: number): string => new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10);

/** y_t = level + 3·futr_signal_t: futr_noise and hist_noise are never read by the data. */
const panel = (n: number) => {
  const rng = new Rng(7, 'importance-panel');
  return ['A', 'B'].flatMap((id, k) =>
    Array.from({ length: n }, (_, t) => {
      const signal = rng.normal();
      return {
        unique_id: id,
        ds: day(t),
        y: 10 + 5 * k + 3 * signal,
        futr_signal: signal,
        futr_noise: rng.normal(),
        hist_noise: rng.normal(),
      };
    }),
  );
};

let nf: NeuralForecast;
let explainer: WindowExplainer;
beforeAll(async () => {
  await setBackend('cpu');
  nf = new NeuralForecast({
    models: [
      {
        id: 'mlp',
        config: {
          h: 2,
          input_size: 3,
          hidden_size: 16,
          num_layers: 1,
          max_steps: 150,
          learning_rate: 0.02,
          futr_exog_list: ['futr_signal', 'futr_noise'],
          hist_exog_list: ['hist_noise'],
        },
      },
    ],
    freq: 'D',
  });
  await nf.fit({ df: panel(80) });
  explainer = await explainWindows(nf, { maxWindows: 12 });
});
afterAll(() => nf.dispose());

const overall = (rows: readonly ImportanceRow[]): ImportanceRow[] =>
  rows.filter((r) => r.uniqueId === null).sort((a, b) => a.rank - b.rank);

describe('importance of a model whose y rests on futr_signal only', () => {
  it('permutation: shuffling futr_signal costs error, the noise columns next to nothing', async () => {
    const result = await computeImportance(explainer, {
      method: 'permutation',
      repeats: 5,
      seed: 0,
      max_windows: 12,
    });
    const ranked = overall(result.rows);
    expect(ranked[0]?.feature).toBe('futr_signal');
    const signal = ranked[0] as ImportanceRow;
    expect(signal.ciLow).toBeGreaterThan(0);
    for (const noise of ranked.slice(1)) expect(noise.importance).toBeLessThan(0.25 * signal.importance);
    // Per series too, every rank 1..3 once; the summary ranks like the rows.
    for (const id of ['A', 'B']) {
      const series = result.rows.filter((r) => r.uniqueId === id);
      expect(series.map((r) => r.rank).sort()).toEqual([1, 2, 3]);
      expect(series.find((r) => r.rank === 1)?.feature).toBe('futr_signal');
    }
    expect(result.summary.ranking.map((r) => r.feature)).toEqual(ranked.map((r) => r.feature));
  });

  it('kernel_shap: exact Shapley values of the window game, summing to f(x) − E[f] per window', async () => {
    const result = await computeImportance(explainer, {
      method: 'kernel_shap',
      nsamples: 'auto',
      seed: 0,
      max_windows: 12,
    });
    const summary = result.summary as KernelShapSummary;
    expect(overall(result.rows)[0]?.feature).toBe('futr_signal');
    const values = overall(result.rows)
      .slice()
      .sort(
        (a, b) =>
          explainer.features.findIndex((f) => f.name === a.feature) -
          explainer.features.findIndex((f) => f.name === b.feature),
      )
      .map((r) => r.details.values as number[]);
    const m = explainer.features.length;
    const background = explainer.inputs[0]!.map(
      (_, i) => explainer.inputs.reduce((s, row) => s + row[i]!, 0) / explainer.inputs.length,
    );
    for (const [w, input] of explainer.inputs.entries()) {
      const { fx, expected_value, exact } = summary.window_values[w]!;
      expect(exact).toBe(true);
      const total = values.reduce((s, v) => s + v[w]!, 0);
      expect(Math.abs(total - (fx - expected_value))).toBeLessThan(1e-5 * Math.max(1, Math.abs(fx)));
      // Brute force: v(S) = f(x_S, background_rest); φ_j = Σ_S |S|!(m−|S|−1)!/m! (v(S ∪ j) − v(S)).
      const masks = Array.from({ length: 2 ** m }, (_, mask) => mask);
      const rows = masks.map((mask) => {
        const row = Float64Array.from(background);
        explainer.features.forEach((f, j) => {
          if (mask & (1 << j)) for (const i of f.indices) row[i] = input[i]!;
        });
        return { window: w, input: row };
      });
      const v = (await explainer.forecast(rows)).map((f) => f.reduce((s, x) => s + x, 0) / f.length);
      const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
      const popcount = (x: number): number => x.toString(2).replace(/0/g, '').length;
      for (let j = 0; j < m; j += 1) {
        let phi = 0;
        for (const mask of masks) {
          if (mask & (1 << j)) continue;
          const s = popcount(mask);
          phi += ((factorial(s) * factorial(m - s - 1)) / factorial(m)) * (v[mask | (1 << j)]! - v[mask]!);
        }
        expect(values[j]![w]).toBeCloseTo(phi, 4);
      }
      expect(fx).toBeCloseTo(v[2 ** m - 1]!, 5);
      expect(expected_value).toBeCloseTo(v[0]!, 5);
    }
  });

  it('integrated_gradients: futr_signal first, attributions summing to f(x) − f(0) up to the quadrature', async () => {
    const result = await computeImportance(explainer, {
      method: 'integrated_gradients',
      steps: 64,
      seed: 0,
      max_windows: 12,
    });
    const summary = result.summary as IntegratedGradientsSummary;
    expect(overall(result.rows)[0]?.feature).toBe('futr_signal');
    for (const { fx, f_baseline, completeness_gap } of summary.window_values)
      expect(Math.abs(completeness_gap)).toBeLessThan(0.05 * Math.max(1, Math.abs(fx - f_baseline)));
  });

  it('stops at the next model call once the run is cancelled', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cancelled by request'));
    for (const options of [
      { method: 'permutation', repeats: 2, seed: 0, max_windows: 12 },
      { method: 'kernel_shap', nsamples: 'auto', seed: 0, max_windows: 12 },
      { method: 'integrated_gradients', steps: 4, seed: 0, max_windows: 12 },
    ] as const)
      await expect(computeImportance(explainer, options, controller.signal)).rejects.toThrow(
        'cancelled by request',
      );
  });
});
