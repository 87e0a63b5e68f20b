/** Tiny configurations of every registered model, so the shared model tests stay fast. */
import type { ModelId } from '../src/models/registry.js';
import { TIMELLM_SMALL_CONFIG } from './llm-fixtures.js';

/** Per model, a small config (parsed by the model's schema, so defaults fill the rest). */
export const SMALL_CONFIGS: Record<ModelId, Record<string, unknown>> = {
  mlp: { num_layers: 2, hidden_size: 16 },
  nhits: {
    mlp_units: [
      [16, 16],
      [16, 16],
    ],
    dropout_prob_theta: 0.2,
  },
  nbeats: { mlp_units: [[16, 16]], dropout_prob_theta: 0.2, n_blocks: [1, 2, 1], shared_weights: true },
  nbeatsx: {
    mlp_units: [[16, 16]],
    dropout_prob_theta: 0.2,
    stack_types: ['identity', 'trend', 'seasonality'],
  },
  dlinear: { moving_avg_window: 3 },
  nlinear: {},
  tide: {
    hidden_size: 16,
    decoder_output_dim: 4,
    temporal_decoder_dim: 8,
    num_encoder_layers: 2,
    num_decoder_layers: 2,
    // layernorm off: with one output NeuralForecast's layernorm hides the decoder (see tide.ts).
    layernorm: false,
  },
  deepnpts: { hidden_size: 8, n_layers: 2 },
  rnn: { encoder_n_layers: 2, encoder_hidden_size: 8, decoder_hidden_size: 8, encoder_dropout: 0.1 },
  // Two 8-unit LSTM layers need ~250 steps on the sine fixture (ratio 0.81 at 80 steps, 0.08 at 250):
  // the signal through two gated layers starts small; 16 units learn within the suite's 80 steps.
  lstm: { encoder_n_layers: 2, encoder_hidden_size: 16, decoder_hidden_size: 16, encoder_dropout: 0.1 },
  gru: { encoder_n_layers: 2, encoder_hidden_size: 8, decoder_hidden_size: 8, encoder_dropout: 0.1 },
  tcn: { kernel_size: 2, dilations: [1, 2], encoder_hidden_size: 8, decoder_hidden_size: 8 },
  kan: { hidden_size: 8, grid_size: 3, spline_order: 2 },
  bitcn: { hidden_size: 8, dropout: 0.1 },
  timesnet: { hidden_size: 8, conv_hidden_size: 8, top_k: 2, num_kernels: 2, encoder_layers: 2 },
  deepar: { lstm_n_layers: 2, lstm_hidden_size: 16, lstm_dropout: 0.1, trajectory_samples: 50 },
  // Two groups so the residual path is exercised; 8 units learn too little in 80 steps with NF's LR decays.
  dilatedrnn: { dilations: [[1, 2], [4]], encoder_hidden_size: 16, decoder_hidden_size: 16 },
  // One encoder layer keeps the op count (the CPU backend's cost) near the other models'.
  vanillatransformer: { hidden_size: 16, n_head: 2, conv_hidden_size: 16, encoder_layers: 1 },
  // Two encoder layers so one distilling conv (and its batch norm) is exercised.
  informer: { hidden_size: 16, n_head: 2, conv_hidden_size: 16, factor: 2 },
  // Short patches so the 16-step window makes eight tokens for the attention to mix.
  patchtst: {
    hidden_size: 16,
    n_heads: 4,
    linear_hidden_size: 16,
    encoder_layers: 2,
    patch_len: 4,
    stride: 2,
  },
  // One encoder layer: a decomposition transformer step is many small ops, and one layer learns the sine.
  autoformer: { hidden_size: 16, n_head: 2, conv_hidden_size: 8, MovingAvg_window: 5, encoder_layers: 1 },
  // hidden_size a multiple of 8: FEDformer's Fourier weights are laid out for its fixed 8 heads.
  fedformer: { hidden_size: 16, conv_hidden_size: 8, MovingAvg_window: 5, modes: 4, encoder_layers: 1 },
  // Two recurrent layers so each layer's initial state (and the decoder's hand-over) is exercised;
  // 8 units stall near the historical mean on the sine fixture in 80 steps, 16 learn it.
  tft: { hidden_size: 16, n_head: 4, n_rnn_layers: 2 },
  // Multivariate: the shared fixtures hold two series.
  mlpmultivariate: { n_series: 2, num_layers: 1, hidden_size: 32 },
  tsmixer: { n_series: 2, n_block: 1, ff_dim: 8, dropout: 0.1 },
  tsmixerx: { n_series: 2, n_block: 1, ff_dim: 8 },
  rmok: { n_series: 2, taylor_order: 3, jacobi_degree: 3 },
  xlinear: { n_series: 2, hidden_size: 16, temporal_ff: 16, channel_ff: 4 },
  timemixer: { n_series: 2, d_model: 8, d_ff: 8, e_layers: 1, moving_avg: 5 },
  itransformer: { n_series: 2, hidden_size: 16, n_heads: 2, e_layers: 1, d_ff: 16 },
  softs: { n_series: 2, hidden_size: 16, d_core: 8, e_layers: 1, d_ff: 16 },
  // pe_keep_prob 1: every training step adds the series-position encoding, so its scale always has a
  // gradient (with 0.5 a step may leave it out, as NeuralForecast's coin does).
  softssharp: { n_series: 2, hidden_size: 16, d_core: 8, e_layers: 1, d_ff: 16, pe_keep_prob: 1 },
  timexer: { n_series: 2, patch_len: 4, hidden_size: 16, n_heads: 2, e_layers: 1, d_ff: 16 },
  timellm: TIMELLM_SMALL_CONFIG,
  // No attention dropout (a graph redrawn every step) nor LR decays: both slow StemGNN on the sine
  // fixture (models-conformance.test.ts).
  stemgnn: { n_series: 2, multi_layer: 1, dropout_rate: 0, num_lr_decays: -1 },
};

/** Test timeouts (ms) of models slower than the suites' 60 s: TimeLLM's GPT-2 reads ~100 prompt tokens per window. */
export const SLOW_MODEL_TIMEOUTS: Partial<Record<ModelId, number>> = { timellm: 600_000 };
