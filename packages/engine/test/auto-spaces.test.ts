import { describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import { parseSearchSpace, type SearchSpace } from '@nflab/tune';
import { MODEL_IDS, MODELS, type ModelId } from '../src/models/registry.js';

/** NeuralForecast v3 auto.py `get_default_config`, written out by hand for horizon h. */
const common = (
  h: number,
  maxSteps: 'choice' | 'quniform',
  lr: [number, number] = [1e-4, 1e-1],
): SearchSpace => ({
  input_size: { kind: 'categorical', choices: [h, 2 * h, 3 * h, 4 * h, 5 * h] },
  learning_rate: { kind: 'float', low: lr[0], high: lr[1], log: true },
  scaler_type: { kind: 'categorical', choices: ['identity', 'robust', 'standard'] },
  max_steps:
    maxSteps === 'choice'
      ? { kind: 'categorical', choices: [500, 1000] }
      : { kind: 'float', low: 500, high: 1500, step: 100 },
  batch_size: { kind: 'categorical', choices: [32, 64, 128, 256] },
  windows_batch_size: { kind: 'categorical', choices: [128, 256, 512, 1024] },
  // Ray's randint(1, 20) excludes 20.
  random_seed: { kind: 'int', low: 1, high: 19 },
  step_size: { kind: 'categorical', choices: [1, h] },
});

const EXPECTED: Record<ModelId, (h: number) => SearchSpace> = {
  mlp: (h) => ({
    ...common(h, 'choice'),
    hidden_size: { kind: 'categorical', choices: [256, 512, 1024] },
    num_layers: { kind: 'int', low: 2, high: 5 },
  }),
  nhits: (h) => ({
    ...common(h, 'quniform'),
    n_pool_kernel_size: {
      kind: 'categorical',
      choices: [
        [2, 2, 1],
        [1, 1, 1],
        [2, 2, 2],
        [4, 4, 4],
        [8, 4, 1],
        [16, 8, 1],
      ],
    },
    n_freq_downsample: {
      kind: 'categorical',
      choices: [
        [168, 24, 1],
        [24, 12, 1],
        [180, 60, 1],
        [60, 8, 1],
        [40, 20, 1],
        [1, 1, 1],
      ],
    },
  }),
  nbeats: (h) => common(h, 'choice'),
  nbeatsx: (h) => common(h, 'choice'),
  dlinear: (h) => ({
    ...common(h, 'quniform'),
    moving_avg_window: { kind: 'categorical', choices: [11, 25, 51] },
  }),
  nlinear: (h) => common(h, 'quniform'),
  tide: (h) => ({
    ...common(h, 'quniform', [1e-5, 1e-2]),
    hidden_size: { kind: 'categorical', choices: [256, 512, 1024] },
    decoder_output_dim: { kind: 'categorical', choices: [8, 16, 32] },
    temporal_decoder_dim: { kind: 'categorical', choices: [32, 64, 128] },
    num_encoder_layers: { kind: 'categorical', choices: [1, 2, 3] },
    num_decoder_layers: { kind: 'categorical', choices: [1, 2, 3] },
    temporal_width: { kind: 'categorical', choices: [4, 8, 16] },
    dropout: { kind: 'categorical', choices: [0, 0.1, 0.2, 0.3, 0.5] },
    layernorm: { kind: 'categorical', choices: [true, false] },
  }),
  deepnpts: (h) => ({
    ...common(h, 'quniform'),
    hidden_size: { kind: 'categorical', choices: [16, 32, 64] },
    dropout: { kind: 'float', low: 0, high: 0.99 },
    n_layers: { kind: 'categorical', choices: [1, 2, 4] },
  }),
  rnn: (h) => ({
    input_size: { kind: 'categorical', choices: [3 * h, 4 * h, 16 * h, 64 * h] },
    inference_input_size: { kind: 'categorical', choices: [-h] },
    encoder_hidden_size: { kind: 'categorical', choices: [16, 32, 64, 128] },
    encoder_n_layers: { kind: 'int', low: 1, high: 3 },
    context_size: { kind: 'categorical', choices: [5, 10, 50] },
    decoder_hidden_size: { kind: 'categorical', choices: [16, 32, 64, 128] },
    learning_rate: { kind: 'float', low: 1e-4, high: 1e-1, log: true },
    max_steps: { kind: 'categorical', choices: [500, 1000] },
    batch_size: { kind: 'categorical', choices: [16, 32] },
    random_seed: { kind: 'int', low: 1, high: 19 },
  }),
  // AutoLSTM and AutoGRU repeat AutoRNN's default_config key for key in NeuralForecast 3.2.
  lstm: (h) => ({
    input_size: { kind: 'categorical', choices: [3 * h, 4 * h, 16 * h, 64 * h] },
    inference_input_size: { kind: 'categorical', choices: [-h] },
    encoder_hidden_size: { kind: 'categorical', choices: [16, 32, 64, 128] },
    encoder_n_layers: { kind: 'int', low: 1, high: 3 },
    context_size: { kind: 'categorical', choices: [5, 10, 50] },
    decoder_hidden_size: { kind: 'categorical', choices: [16, 32, 64, 128] },
    learning_rate: { kind: 'float', low: 1e-4, high: 1e-1, log: true },
    max_steps: { kind: 'categorical', choices: [500, 1000] },
    batch_size: { kind: 'categorical', choices: [16, 32] },
    random_seed: { kind: 'int', low: 1, high: 19 },
  }),
  gru: (h) => ({
    input_size: { kind: 'categorical', choices: [3 * h, 4 * h, 16 * h, 64 * h] },
    inference_input_size: { kind: 'categorical', choices: [-h] },
    encoder_hidden_size: { kind: 'categorical', choices: [16, 32, 64, 128] },
    encoder_n_layers: { kind: 'int', low: 1, high: 3 },
    context_size: { kind: 'categorical', choices: [5, 10, 50] },
    decoder_hidden_size: { kind: 'categorical', choices: [16, 32, 64, 128] },
    learning_rate: { kind: 'float', low: 1e-4, high: 1e-1, log: true },
    max_steps: { kind: 'categorical', choices: [500, 1000] },
    batch_size: { kind: 'categorical', choices: [16, 32] },
    random_seed: { kind: 'int', low: 1, high: 19 },
  }),
  // AutoTCN has its own key set; input_size -h (multiplier -1) is what BaseModel turns into 3h.
  tcn: (h) => ({
    input_size: { kind: 'categorical', choices: [3 * h, 4 * h, 16 * h, 64 * h] },
    inference_input_size: { kind: 'categorical', choices: [-h] },
    encoder_hidden_size: { kind: 'categorical', choices: [16, 32, 64, 128] },
    context_size: { kind: 'categorical', choices: [5, 10, 50] },
    decoder_hidden_size: { kind: 'categorical', choices: [32, 64] },
    learning_rate: { kind: 'float', low: 1e-4, high: 1e-1, log: true },
    max_steps: { kind: 'categorical', choices: [500, 1000] },
    batch_size: { kind: 'categorical', choices: [16, 32] },
    random_seed: { kind: 'int', low: 1, high: 19 },
  }),
  kan: (h) => ({
    ...common(h, 'quniform'),
    grid_size: { kind: 'categorical', choices: [5, 10, 15] },
    spline_order: { kind: 'categorical', choices: [2, 3, 4] },
    hidden_size: { kind: 'categorical', choices: [64, 128, 256, 512] },
  }),
  // AutoBiTCN: max_steps choice([500, 1000, 2000]), unlike any other model.
  bitcn: (h) => ({
    ...common(h, 'choice'),
    hidden_size: { kind: 'categorical', choices: [16, 32] },
    dropout: { kind: 'float', low: 0, high: 0.99 },
    max_steps: { kind: 'categorical', choices: [500, 1000, 2000] },
  }),
  // AutoTimesNet has its own key set: no identity scaler, no step_size, smaller windows batches.
  timesnet: (h) => ({
    input_size: { kind: 'categorical', choices: [h, 2 * h, 3 * h, 4 * h, 5 * h] },
    hidden_size: { kind: 'categorical', choices: [32, 64, 128] },
    conv_hidden_size: { kind: 'categorical', choices: [32, 64, 128] },
    learning_rate: { kind: 'float', low: 1e-4, high: 1e-1, log: true },
    scaler_type: { kind: 'categorical', choices: ['robust', 'standard'] },
    max_steps: { kind: 'categorical', choices: [500, 1000, 2000] },
    batch_size: { kind: 'categorical', choices: [32, 64, 128] },
    windows_batch_size: { kind: 'categorical', choices: [32, 64, 128, 256] },
    random_seed: { kind: 'int', low: 1, high: 19 },
  }),
  deepar: (h) => ({
    input_size: { kind: 'categorical', choices: [h, 2 * h, 3 * h, 4 * h, 5 * h] },
    lstm_hidden_size: { kind: 'categorical', choices: [32, 64, 128, 256] },
    lstm_n_layers: { kind: 'int', low: 1, high: 3 },
    lstm_dropout: { kind: 'float', low: 0, high: 0.5 },
    learning_rate: { kind: 'float', low: 1e-4, high: 1e-1, log: true },
    scaler_type: { kind: 'categorical', choices: ['robust', 'minmax1'] },
    max_steps: { kind: 'categorical', choices: [500, 1000, 2000] },
    batch_size: { kind: 'categorical', choices: [32, 64, 128, 256] },
    windows_batch_size: { kind: 'categorical', choices: [128, 256, 512, 1024] },
    random_seed: { kind: 'int', low: 1, high: 19 },
    step_size: { kind: 'categorical', choices: [1, h] },
  }),
  dilatedrnn: (h) => ({
    input_size: { kind: 'categorical', choices: [3 * h, 4 * h, 16 * h, 64 * h] },
    inference_input_size: { kind: 'categorical', choices: [-h] },
    cell_type: { kind: 'categorical', choices: ['LSTM', 'GRU'] },
    encoder_hidden_size: { kind: 'categorical', choices: [16, 32, 64, 128] },
    dilations: {
      kind: 'categorical',
      choices: [
        [
          [1, 2],
          [4, 8],
        ],
        [[1, 2, 4, 8]],
      ],
    },
    context_size: { kind: 'categorical', choices: [5, 10, 50] },
    decoder_hidden_size: { kind: 'categorical', choices: [16, 32, 64, 128] },
    learning_rate: { kind: 'float', low: 1e-4, high: 1e-1, log: true },
    max_steps: { kind: 'categorical', choices: [500, 1000] },
    batch_size: { kind: 'categorical', choices: [16, 32] },
    random_seed: { kind: 'int', low: 1, high: 19 },
  }),
  // AutoVanillaTransformer and AutoInformer: the same dict in auto.py, max_steps choice([500, 1000, 2000]).
  vanillatransformer: (h) => ({
    ...common(h, 'choice'),
    hidden_size: { kind: 'categorical', choices: [64, 128, 256] },
    n_head: { kind: 'categorical', choices: [4, 8] },
    max_steps: { kind: 'categorical', choices: [500, 1000, 2000] },
  }),
  informer: (h) => ({
    ...common(h, 'choice'),
    hidden_size: { kind: 'categorical', choices: [64, 128, 256] },
    n_head: { kind: 'categorical', choices: [4, 8] },
    max_steps: { kind: 'categorical', choices: [500, 1000, 2000] },
  }),
  // AutoPatchTST: input_size only up to 3h, revin searched, max_steps up to 5000, no step_size.
  patchtst: (h) => ({
    input_size: { kind: 'categorical', choices: [h, 2 * h, 3 * h] },
    hidden_size: { kind: 'categorical', choices: [16, 128, 256] },
    n_heads: { kind: 'categorical', choices: [4, 16] },
    patch_len: { kind: 'categorical', choices: [16, 24] },
    learning_rate: { kind: 'float', low: 1e-4, high: 1e-1, log: true },
    scaler_type: { kind: 'categorical', choices: ['identity', 'robust', 'standard'] },
    revin: { kind: 'categorical', choices: [false, true] },
    max_steps: { kind: 'categorical', choices: [500, 1000, 5000] },
    batch_size: { kind: 'categorical', choices: [32, 64, 128, 256] },
    windows_batch_size: { kind: 'categorical', choices: [128, 256, 512, 1024] },
    random_seed: { kind: 'int', low: 1, high: 19 },
  }),
  // AutoAutoformer: its own keys (no step_size, max_steps up to 2000); AutoFEDformer the same without n_head.
  autoformer: (h) => ({
    input_size: { kind: 'categorical', choices: [h, 2 * h, 3 * h, 4 * h, 5 * h] },
    hidden_size: { kind: 'categorical', choices: [64, 128, 256] },
    n_head: { kind: 'categorical', choices: [4, 8] },
    learning_rate: { kind: 'float', low: 1e-4, high: 1e-1, log: true },
    scaler_type: { kind: 'categorical', choices: ['identity', 'robust', 'standard'] },
    max_steps: { kind: 'categorical', choices: [500, 1000, 2000] },
    batch_size: { kind: 'categorical', choices: [32, 64, 128, 256] },
    windows_batch_size: { kind: 'categorical', choices: [128, 256, 512, 1024] },
    random_seed: { kind: 'int', low: 1, high: 19 },
  }),
  fedformer: (h) => ({
    input_size: { kind: 'categorical', choices: [h, 2 * h, 3 * h, 4 * h, 5 * h] },
    hidden_size: { kind: 'categorical', choices: [64, 128, 256] },
    learning_rate: { kind: 'float', low: 1e-4, high: 1e-1, log: true },
    scaler_type: { kind: 'categorical', choices: ['identity', 'robust', 'standard'] },
    max_steps: { kind: 'categorical', choices: [500, 1000, 2000] },
    batch_size: { kind: 'categorical', choices: [32, 64, 128, 256] },
    windows_batch_size: { kind: 'categorical', choices: [128, 256, 512, 1024] },
    random_seed: { kind: 'int', low: 1, high: 19 },
  }),
  // AutoTFT: its own keys (no step_size, max_steps up to 2000).
  tft: (h) => ({
    input_size: { kind: 'categorical', choices: [h, 2 * h, 3 * h, 4 * h, 5 * h] },
    hidden_size: { kind: 'categorical', choices: [64, 128, 256] },
    n_head: { kind: 'categorical', choices: [4, 8] },
    learning_rate: { kind: 'float', low: 1e-4, high: 1e-1, log: true },
    scaler_type: { kind: 'categorical', choices: ['identity', 'robust', 'standard'] },
    max_steps: { kind: 'categorical', choices: [500, 1000, 2000] },
    batch_size: { kind: 'categorical', choices: [32, 64, 128, 256] },
    windows_batch_size: { kind: 'categorical', choices: [128, 256, 512, 1024] },
    random_seed: { kind: 'int', low: 1, high: 19 },
  }),
  // AutoMLPMultivariate / AutoTSMixer: no windows_batch_size; n_series is the caller's, not searched.
  mlpmultivariate: (h) => {
    const { windows_batch_size: _unused, ...rest } = common(h, 'choice');
    return {
      ...rest,
      hidden_size: { kind: 'categorical', choices: [256, 512, 1024] },
      num_layers: { kind: 'int', low: 2, high: 5 },
    };
  },
  tsmixer: (h) => ({
    input_size: { kind: 'categorical', choices: [h, 2 * h, 3 * h, 4 * h] },
    n_block: { kind: 'categorical', choices: [1, 2, 4, 6, 8] },
    learning_rate: { kind: 'float', low: 1e-4, high: 1e-2, log: true },
    ff_dim: { kind: 'categorical', choices: [32, 64, 128] },
    scaler_type: { kind: 'categorical', choices: ['identity', 'robust', 'standard'] },
    max_steps: { kind: 'categorical', choices: [500, 1000, 2000] },
    batch_size: { kind: 'categorical', choices: [32, 64, 128, 256] },
    dropout: { kind: 'float', low: 0, high: 0.99 },
    random_seed: { kind: 'int', low: 1, high: 19 },
    step_size: { kind: 'categorical', choices: [1, h] },
  }),
  tsmixerx: (h) => EXPECTED.tsmixer(h),
  // AutoRMoK: no windows_batch_size or step_size; its scaler choices None and 'identity' are one here.
  rmok: (h) => ({
    input_size: { kind: 'categorical', choices: [h, 2 * h, 3 * h, 4 * h, 5 * h] },
    taylor_order: { kind: 'categorical', choices: [3, 4, 5] },
    jacobi_degree: { kind: 'categorical', choices: [4, 5, 6] },
    wavelet_function: { kind: 'categorical', choices: ['mexican_hat', 'morlet', 'dog', 'meyer', 'shannon'] },
    learning_rate: { kind: 'float', low: 1e-4, high: 1e-1, log: true },
    scaler_type: { kind: 'categorical', choices: ['identity', 'robust', 'standard'] },
    max_steps: { kind: 'categorical', choices: [500, 1000, 2000] },
    batch_size: { kind: 'categorical', choices: [32, 64, 128, 256] },
    random_seed: { kind: 'int', low: 1, high: 19 },
  }),
  // AutoXLinear: no windows_batch_size or step_size.
  xlinear: (h) => ({
    input_size: { kind: 'categorical', choices: [h, 2 * h, 3 * h, 4 * h, 5 * h] },
    hidden_size: { kind: 'categorical', choices: [64, 128, 256] },
    use_norm: { kind: 'categorical', choices: [true, false] },
    learning_rate: { kind: 'float', low: 1e-4, high: 1e-1, log: true },
    scaler_type: { kind: 'categorical', choices: ['identity', 'robust', 'standard'] },
    max_steps: { kind: 'categorical', choices: [500, 1000] },
    batch_size: { kind: 'categorical', choices: [32, 64, 128, 256] },
    random_seed: { kind: 'int', low: 1, high: 19 },
  }),
  // AutoTimeMixer: no windows_batch_size or step_size; scaler choices None and 'identity' are one here.
  timemixer: (h) => ({
    input_size: { kind: 'categorical', choices: [h, 2 * h, 3 * h, 4 * h, 5 * h] },
    d_model: { kind: 'categorical', choices: [16, 32, 64] },
    d_ff: { kind: 'categorical', choices: [16, 32, 64] },
    down_sampling_layers: { kind: 'categorical', choices: [1, 2] },
    learning_rate: { kind: 'float', low: 1e-4, high: 1e-1, log: true },
    scaler_type: { kind: 'categorical', choices: ['identity', 'robust', 'standard'] },
    max_steps: { kind: 'categorical', choices: [500, 1000, 2000] },
    batch_size: { kind: 'categorical', choices: [32, 64, 128, 256] },
    random_seed: { kind: 'int', low: 1, high: 19 },
  }),
  // AutoiTransformer: the shared keys without windows_batch_size, max_steps up to 2000.
  itransformer: (h) => {
    const { windows_batch_size: _unused, ...rest } = common(h, 'choice');
    return {
      ...rest,
      hidden_size: { kind: 'categorical', choices: [64, 128, 256] },
      n_heads: { kind: 'categorical', choices: [4, 8] },
      max_steps: { kind: 'categorical', choices: [500, 1000, 2000] },
    };
  },
  // AutoSOFTS: as AutoiTransformer with d_core; its None and 'identity' scalers are one choice.
  softs: (h) => {
    const { windows_batch_size: _unused, ...rest } = common(h, 'choice');
    return {
      ...rest,
      hidden_size: { kind: 'categorical', choices: [64, 128, 256, 512] },
      d_core: { kind: 'categorical', choices: [64, 128, 256, 512] },
      max_steps: { kind: 'categorical', choices: [500, 1000, 2000] },
    };
  },
  softssharp: (h) => ({
    ...EXPECTED.softs(h),
    pe_keep_prob: { kind: 'categorical', choices: [0.25, 0.5, 0.75, 1] },
  }),
  timexer: (h) => ({
    ...EXPECTED.itransformer(h),
    hidden_size: { kind: 'categorical', choices: [128, 256, 512] },
  }),
  // NeuralForecast 3.2 has no AutoTimeLLM: the lab searches get_default_config's shared keys.
  timellm: (h) => common(h, 'choice'),
  // AutoStemGNN: input_size h × [1…4], no windows_batch_size; its None scaler is 'identity' here.
  stemgnn: (h) => ({
    input_size: { kind: 'categorical', choices: [h, 2 * h, 3 * h, 4 * h] },
    n_stacks: { kind: 'categorical', choices: [2] },
    multi_layer: { kind: 'categorical', choices: [3, 5, 7] },
    learning_rate: { kind: 'float', low: 1e-4, high: 1e-1, log: true },
    scaler_type: { kind: 'categorical', choices: ['identity', 'robust', 'standard'] },
    max_steps: { kind: 'categorical', choices: [500, 1000, 2000] },
    batch_size: { kind: 'categorical', choices: [32, 64, 128, 256] },
    random_seed: { kind: 'int', low: 1, high: 19 },
    step_size: { kind: 'categorical', choices: [1, h] },
  }),
};

describe('default search spaces (NeuralForecast Auto*.default_config)', () => {
  it('covers every registered model', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...MODEL_IDS].sort());
  });

  for (const id of MODEL_IDS) {
    for (const h of [4, 12]) {
      it(`${id} at h=${h} has NeuralForecast's keys and ranges`, () => {
        const space = MODELS[id].defaultSearchSpace(h);
        expect(space).toEqual(EXPECTED[id](h));
        expect(Object.keys(space).sort()).toEqual(Object.keys(EXPECTED[id](h)).sort());
        // Valid and storable as JSON exactly as written.
        expect(parseSearchSpace(JSON.parse(JSON.stringify(space)))).toEqual(space);
      });
    }
  }

  it('rejects a non-positive h with a ConfigError naming it', () => {
    expect(() => MODELS.nhits.defaultSearchSpace(0)).toThrow(ConfigError);
    expect(() => MODELS.nhits.defaultSearchSpace(0)).toThrow(/h must be a positive integer/);
  });

  it('has a single step_size choice at h=1', () => {
    expect(MODELS.mlp.defaultSearchSpace(1).step_size).toEqual({ kind: 'categorical', choices: [1] });
  });
});
