import { ConfigError } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import { LOSSES, createLoss, parseLossSpec, resolveLosses } from '../src/losses/index.js';

describe('LOSSES registry', () => {
  it('every key equals its id, and the loss it creates carries the same id', () => {
    for (const [key, entry] of Object.entries(LOSSES)) {
      expect(entry.id).toBe(key);
      expect(key).toBe(key.toLowerCase());
      expect(createLoss(parseLossSpec(key).id).id).toBe(key);
    }
  });

  it('accepts NeuralForecast class names in any case', () => {
    expect(parseLossSpec('MAE').id).toBe('mae');
    expect(parseLossSpec({ id: 'MSE' }).id).toBe('mse');
  });

  it('unknown losses and parameters are ConfigErrors naming them and what is allowed', () => {
    expect(() => parseLossSpec('pinball')).toThrow(ConfigError);
    expect(() => parseLossSpec('pinball')).toThrow(/loss 'pinball' is not supported; allowed: mae, mse/);
    expect(() => parseLossSpec({ id: 'mae', delta: 2 })).toThrow(
      /loss 'mae': unknown parameter\(s\) 'delta'; allowed: no parameters/,
    );
    expect(() => parseLossSpec({ id: 42 })).toThrow(/'id' must be a string/);
  });

  it('valid_loss defaults to loss', () => {
    expect(resolveLosses({ loss: 'mse' }).validLoss.id).toBe('mse');
    expect(resolveLosses({ loss: 'mse', valid_loss: 'mae' }).validLoss.id).toBe('mae');
    expect(resolveLosses({}).loss.id).toBe('mae');
  });
});
