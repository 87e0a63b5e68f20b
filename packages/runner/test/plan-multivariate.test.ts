/**
 * Multivariate models take a run's series together: the plan accepts them, the runner sets
 * n_series from unique_ids, a disagreeing n_series and a per-series split are refused with reasons.
 */
import { describe, expect, it } from 'vitest';
import { parseRunSpec } from '@nflab/contracts';
import { autoModelOptions, planSweep, plainModelConfig } from '@nflab/runner';

const base = { loto: 'loto6', unique_ids: ['N1', 'N2'], h: 2, max_steps: 4 } as const;
const noExog = { futr: [], hist: [], stat: [] } as const;

describe('planning multivariate runs', () => {
  it('accepts plain and Auto multivariate models; the runner sets n_series to the number of unique_ids', async () => {
    const plan = await planSweep({
      ...base,
      mode: 'list',
      runs: [
        { model: 'tsmixer', config: { input_size: 4 } },
        { model: 'auto_tsmixer', config: { val_check_steps: 2 } },
        { model: 'mlpmultivariate', config: { input_size: 4, n_series: 2 } },
      ],
    });
    expect(plan.invalid).toEqual([]);
    expect(plan.runs.map((r) => r.spec.model)).toEqual(['tsmixer', 'auto_tsmixer', 'mlpmultivariate']);
    const [plain, auto, given] = plan.runs.map((r) => r.spec);
    expect(plainModelConfig(plain!, noExog)).toMatchObject({ n_series: 2, input_size: 4 });
    expect(autoModelOptions(auto!, noExog, 1).config).toMatchObject({ n_series: 2 });
    expect(plainModelConfig(given!, noExog)).toMatchObject({ n_series: 2 });
    // Univariate models get no n_series.
    const nhits = parseRunSpec({ ...base, model: 'nhits', config: { input_size: 4 } });
    expect(plainModelConfig(nhits, noExog)).not.toHaveProperty('n_series');
  });

  it('refuses an n_series that disagrees with unique_ids, or a searched one, naming the field and the fix', async () => {
    const plan = await planSweep({
      ...base,
      mode: 'list',
      runs: [
        { model: 'tsmixer', config: { input_size: 4, n_series: 3 } },
        { model: 'auto_tsmixer', config: { n_series: { kind: 'categorical', choices: [2, 3] } } },
        {
          model: 'auto_tsmixerx',
          search_space: {
            input_size: { kind: 'fixed', value: 4 },
            n_series: { kind: 'int', low: 1, high: 3 },
          },
        },
      ],
    });
    expect(plan.count).toBe(0);
    expect(plan.invalid.map((i) => i.reasons)).toEqual([
      [
        "config.n_series: 3 disagrees with the run's 2 series (N1, N2): 'tsmixer' (TSMixer) is multivariate and takes all of them together; remove config.n_series (the runner sets it to 2 from unique_ids), or choose 3 unique_ids",
      ],
      [
        expect.stringMatching(
          /^config\.n_series: 'auto_tsmixer' \(TSMixer\) .* not a choice; remove config\.n_series/,
        ),
      ],
      [
        expect.stringMatching(
          /^search_space\.n_series: 'auto_tsmixerx' \(TSMixerx\) .* is not searched; remove it/,
        ),
      ],
    ]);
    // The compute side refuses it the same way when a spec reaches it without a plan.
    const spec = parseRunSpec({ ...base, model: 'tsmixer', config: { input_size: 4, n_series: 3 } });
    expect(() => plainModelConfig(spec, noExog)).toThrow(/^config\.n_series: 3 disagrees/);
  });

  it('refuses one run per series (each_unique_id) for a multivariate model, not for the univariate ones beside it', async () => {
    const plan = await planSweep({
      ...base,
      each_unique_id: true,
      model: ['tsmixer', 'nhits'],
      config: { input_size: 4 },
    });
    expect(plan.runs.map((r) => [r.spec.model, r.spec.unique_ids])).toEqual([
      ['nhits', ['N1']],
      ['nhits', ['N2']],
    ]);
    expect(plan.invalid).toHaveLength(2);
    for (const entry of plan.invalid) {
      expect(entry.spec.model).toBe('tsmixer');
      expect(entry.reasons).toEqual([
        expect.stringMatching(
          /^each_unique_id: splits the series into one run each, but 'tsmixer' \(TSMixer\) is a multivariate model that takes the chosen series together.*turn each_unique_id off/,
        ),
      ]);
    }
  });

  it('accepts a single-series unique_ids alternative (NeuralForecast builds these models for n_series 1)', async () => {
    const plan = await planSweep({
      ...base,
      unique_ids: [['N1', 'N2'], ['N3']],
      model: 'tsmixer',
      config: { input_size: 4 },
    });
    expect(plan.invalid).toEqual([]);
    expect(plan.runs.map((r) => plainModelConfig(r.spec, noExog).n_series)).toEqual([2, 1]);
  });

  it('accepts one series in one run (n_series 1), the rule the wizard follows too', async () => {
    const plan = await planSweep({
      ...base,
      unique_ids: ['N1'],
      mode: 'list',
      runs: [
        { model: 'tsmixer', config: { input_size: 4 } },
        { model: 'auto_itransformer', config: { val_check_steps: 2 } },
      ],
    });
    expect(plan.invalid).toEqual([]);
    const [plain, auto] = plan.runs.map((r) => r.spec);
    expect(plain?.unique_ids).toEqual(['N1']);
    expect(plainModelConfig(plain!, noExog)).toMatchObject({ n_series: 1 });
    expect(autoModelOptions(auto!, noExog, 1).config).toMatchObject({ n_series: 1 });
  });

  it('with a HINT hierarchy, counts the aggregates among the series the model takes together', async () => {
    const hint = {
      ...base,
      model: 'tsmixer',
      config: { input_size: 4 },
      loss: { id: 'distributionloss', distribution: 'Normal' },
      hierarchy: { aggregates: [{ id: 'total', members: ['N1', 'N2'] }], reconciliation: 'BottomUp' },
    };
    const plan = await planSweep({
      ...hint,
      mode: 'list',
      runs: [{}, { config: { input_size: 4, n_series: 2 } }],
    });
    expect(plan.count).toBe(1);
    expect(plainModelConfig(plan.runs[0]!.spec, noExog)).toMatchObject({ n_series: 3 });
    expect(plan.invalid[0]?.reasons).toEqual([
      expect.stringMatching(
        /^config\.n_series: 2 disagrees with the run's 3 series \(N1, N2 and 1 hierarchy aggregate\(s\)\)/,
      ),
    ]);
  });
});
