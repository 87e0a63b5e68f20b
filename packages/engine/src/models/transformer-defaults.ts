/**
 * NeuralForecast's training defaults shared by its transformer models (VanillaTransformer,
 * Informer, Autoformer, FEDformer, PatchTST): 5000 steps at learning rate 1e-4 without decays,
 * 1024 windows per batch in training and inference, no scaler.
 */
export const TRANSFORMER_COMMON_DEFAULTS = {
  max_steps: 5000,
  learning_rate: 1e-4,
  num_lr_decays: -1,
  windows_batch_size: 1024,
  inference_windows_batch_size: 1024,
  scaler_type: 'identity',
} as const;
