/** Tiny configurations of every registered model, so the shared model tests stay fast. */
import type { ModelId } from '../src/models/registry.js';

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
  tcn: { kernel_size: 2, dilations: [1, 2], encoder_hidden_size: 8, decoder_hidden_size: 8 },
  kan: { hidden_size: 8, grid_size: 3, spline_order: 2 },
  // Two groups so the residual path is exercised; 8 units learn too little in 80 steps with NF's LR decays.
  dilatedrnn: { dilations: [[1, 2], [4]], encoder_hidden_size: 16, decoder_hidden_size: 16 },
};
