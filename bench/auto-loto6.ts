/**
 * AutoNHITS on the real loto6 panel (7 series, 1,498 draws), as issue 4 asks: h=4, num_samples=8,
 * NeuralForecast's default NHITS space with max_steps capped (real defaults run 500–1500 steps per
 * trial), once with backend optuna + tpe + median pruner and once with backend ray + asha.
 * Reports per backend: trial states, how many validation losses each trial reported, the best
 * value and config, the refit's forecast MAE on the last 4 draws next to the historical mean.
 * `npx tsx bench/auto-loto6.ts [--max-steps N]` prints ONE JSON object; progress on stderr.
 */
import { AutoModel, enableNativeMatmul, setBackend } from '../packages/engine/src/index.js';
import { loto6Panel } from './lib/datasets.js';

const flag = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const MAX_STEPS = flag('max-steps', 100);
const H = 4;

const panel = await loto6Panel();
const rows = panel.rows;
// The last H draws of every series are held out to score the refit against the historical mean.
const lastDs = [...new Set(rows.map((r) => r.ds))].sort().slice(-H);
const train = rows.filter((r) => !lastDs.includes(r.ds));
const test = rows.filter((r) => lastDs.includes(r.ds));

await setBackend('wasm');
const native = enableNativeMatmul({ threads: 1 });
console.error(`native matmul: ${native.enabled ? native.coreType : native.reason}`);

const historicalMeanMae = (): number => {
  const means = new Map<string, number>();
  for (const id of new Set(train.map((r) => r.unique_id))) {
    const ys = train.filter((r) => r.unique_id === id).map((r) => r.y);
    means.set(id, ys.reduce((a, b) => a + b, 0) / ys.length);
  }
  return test.reduce((sum, r) => sum + Math.abs(r.y - (means.get(r.unique_id) ?? 0)), 0) / test.length;
};

const runBackend = async (search: NonNullable<ConstructorParameters<typeof AutoModel>[0]['search']>) => {
  const started = performance.now();
  const auto = new AutoModel({
    model: 'nhits',
    h: H,
    config: { max_steps: MAX_STEPS, val_check_steps: Math.max(1, Math.floor(MAX_STEPS / 5)) },
    numSamples: 8,
    seed: 1,
    freq: 'irregular',
    search,
  });
  await auto.fit({ df: train, valSize: 2 * H });
  const trials = await auto.results();
  const forecast = await auto.predict();
  const byKey = new Map(test.map((r) => [`${r.unique_id}|${r.ds}`, r.y]));
  const errors = forecast.map((f) =>
    Math.abs((byKey.get(`${f.unique_id}|${f.ds}`) ?? NaN) - Number(f.NHITS)),
  );
  const result = {
    search,
    seconds: (performance.now() - started) / 1000,
    states: trials.map((t) => t.state),
    failures: trials.filter((t) => t.state === 'FAIL').map((t) => ({ number: t.number, error: t.error })),
    validation_losses_reported: trials.map(
      (t) => (t.user_attrs_valid_losses as unknown[] | undefined)?.length ?? 0,
    ),
    best_value: Math.min(...trials.filter((t) => t.state === 'COMPLETE').map((t) => Number(t.value))),
    best_config: auto.bestConfig,
    refit_mae_last_4_draws: errors.reduce((a, b) => a + b, 0) / errors.length,
  };
  auto.dispose();
  console.error(`${JSON.stringify(search)}: ${result.states.join(' ')} in ${result.seconds.toFixed(0)} s`);
  return result;
};

const optuna = await runBackend({ backend: 'optuna', search_alg: 'tpe', pruner: 'median' });
const ray = await runBackend({ backend: 'ray', search_alg: 'basic_variant', scheduler: 'asha' });
console.log(
  JSON.stringify({
    panel: { series: panel.series.length, rows: rows.length },
    h: H,
    max_steps: MAX_STEPS,
    native_matmul: native,
    historical_mean_mae_last_4_draws: historicalMeanMae(),
    optuna,
    ray,
  }),
);
