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
};
