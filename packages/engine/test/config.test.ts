import { describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import {
  availabilityFractions,
  parseCommonConfig,
  splitConfig,
  validBatchSize,
  validLossSpec,
} from '../src/config/index.js';

describe('parseCommonConfig', () => {
  it("reads a non-positive input_size as 3·h, NeuralForecast's rule for its recurrent models' -1", () => {
    expect(parseCommonConfig({ h: 4, input_size: -1 }, { modelName: 'rnn' }).input_size).toBe(12);
    expect(parseCommonConfig({ h: 4, input_size: 0 }, { modelName: 'rnn' }).input_size).toBe(12);
    expect(parseCommonConfig({ h: 4, input_size: 5 }, { modelName: 'rnn' }).input_size).toBe(5);
  });

  it("fills NeuralForecast's BaseModel defaults", () => {
    const c = parseCommonConfig({ h: 12, input_size: 24 }, { modelName: 'mlp' });
    expect(c).toMatchObject({
      learning_rate: 1e-3,
      max_steps: 1000,
      val_check_steps: 100,
      batch_size: 32,
      windows_batch_size: 1024,
      inference_windows_batch_size: -1,
      step_size: 1,
      scaler_type: 'identity',
      random_seed: 1,
      num_lr_decays: -1,
      early_stop_patience_steps: -1,
      start_padding_enabled: false,
      training_data_availability_threshold: 0,
      exclude_insample_y: false,
      drop_last_loader: false,
      loss: 'mae',
      valid_loss: null,
    });
    expect(validBatchSize(c)).toBe(32);
    expect(validLossSpec(c)).toBe('mae');
    expect(availabilityFractions(c)).toEqual([0, 0]);
  });

  it("applies the model's defaults under the user's values", () => {
    const c = parseCommonConfig(
      { h: 1, input_size: 2, batch_size: 4 },
      { modelName: 'nhits', modelDefaults: { windows_batch_size: 256, batch_size: 8 } },
    );
    expect(c.windows_batch_size).toBe(256);
    expect(c.batch_size).toBe(4);
  });

  it('names the model, the key and the value in errors', () => {
    const bad = (): unknown =>
      parseCommonConfig({ h: 0, input_size: 2, scaler_type: 'zscore' }, { modelName: 'mlp' });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/model 'mlp'.*h: .*got 0.*scaler_type.*"zscore"/);
  });

  it('splits common from model-specific keys', () => {
    expect(splitConfig({ h: 1, hidden_size: 8, max_steps: 3 })).toEqual({
      common: { h: 1, max_steps: 3 },
      model: { hidden_size: 8 },
    });
  });
});
