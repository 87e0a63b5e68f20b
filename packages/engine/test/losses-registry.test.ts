import { ConfigError } from '@nflab/contracts';
import { describe, expect, it } from 'vitest';
import { LOSSES, createLoss, describeLosses, parseLossSpec, resolveLosses } from '../src/losses/index.js';

/** Parameters for the losses that have required ones; every other loss is built from its id alone. */
const REQUIRED: Record<string, Record<string, unknown>> = {
  mase: { seasonality: 7 },
  quantileloss: { q: 0.5 },
  distributionloss: { distribution: 'Normal' },
};

describe('LOSSES registry', () => {
  it('every key equals its id, and the loss it creates carries the same id and a consistent shape', () => {
    for (const [key, entry] of Object.entries(LOSSES)) {
      expect(entry.id).toBe(key);
      expect(key).toBe(key.toLowerCase());
      const loss = createLoss({ id: key, ...REQUIRED[key] });
      expect(loss.id).toBe(key);
      expect(loss.label).toBe(entry.label);
      expect(loss.pointIndex).toBeGreaterThanOrEqual(0);
      expect(loss.pointIndex).toBeLessThan(loss.outputNames.length);
      expect(loss.outputSize).toBeGreaterThan(0);
    }
  });

  it('required parameters are named when missing', () => {
    expect(() => createLoss('quantileloss')).toThrow(
      /loss 'quantileloss': parameter 'q' must be a number strictly between 0 and 1/,
    );
    expect(() => createLoss('mase')).toThrow(
      /loss 'mase': parameter 'seasonality' must be a positive integer/,
    );
    expect(() => createLoss('distributionloss')).toThrow(
      /parameter 'distribution' must be one of Normal, StudentT, Poisson, NegativeBinomial/,
    );
  });

  it('bad values are named with what is allowed', () => {
    expect(() => createLoss({ id: 'mqloss', level: [80, 120] })).toThrow(
      /loss 'mqloss': parameter 'level.1' must hold levels strictly between 0 and 100/,
    );
    expect(() => createLoss({ id: 'mqloss', level: 80 })).toThrow(
      /parameter 'level' must be a list of levels/,
    );
    expect(() => createLoss({ id: 'huberloss', delta: -1 })).toThrow(
      /loss 'huberloss': parameter 'delta' must be a positive number/,
    );
    expect(() => createLoss({ id: 'distributionloss', distribution: 'Gamma' })).toThrow(
      /must be one of Normal/,
    );
    expect(() => createLoss({ id: 'distributionloss', distribution: 'Normal', num_samples: 0 })).toThrow(
      /'num_samples' must be a positive integer/,
    );
  });

  it('defaults follow NeuralForecast', () => {
    expect(parseLossSpec('mqloss').params).toEqual({ level: [80, 90] });
    expect(parseLossSpec('huberloss').params).toEqual({ delta: 1 });
    expect(parseLossSpec('tukeyloss').params).toEqual({ c: 4.685, normalize: true });
    expect(parseLossSpec({ id: 'distributionloss', distribution: 'studentt' }).params).toEqual({
      distribution: 'StudentT',
      level: [80, 90],
      num_samples: 1000,
    });
  });

  it('accepts NeuralForecast class names in any case', () => {
    expect(parseLossSpec('MAE').id).toBe('mae');
    expect(parseLossSpec({ id: 'MSE' }).id).toBe('mse');
  });

  it('unknown losses and parameters are ConfigErrors naming them and what is allowed', () => {
    expect(() => parseLossSpec('pinball')).toThrow(ConfigError);
    expect(() => parseLossSpec('pinball')).toThrow(
      /loss 'pinball' is not supported; allowed: mae, mse, rmse, mape, smape, mase, relmse, huberloss, tukeyloss, quantileloss, mqloss, distributionloss/,
    );
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

describe('describeLosses', () => {
  it('lists every loss with a JSON Schema of its parameters', () => {
    const all = describeLosses();
    expect(all.map((d) => d.id)).toEqual(Object.keys(LOSSES));
    const mq = all.find((d) => d.id === 'mqloss');
    expect(mq?.label).toBe('MQLoss');
    const props = mq?.paramsJsonSchema.properties as Record<string, { default?: unknown }>;
    expect(props.level?.default).toEqual([80, 90]);
    const dist = all.find((d) => d.id === 'distributionloss')?.paramsJsonSchema;
    expect(Object.keys(dist?.properties as object)).toEqual([
      'distribution',
      'level',
      'quantiles',
      'num_samples',
    ]);
    expect(JSON.parse(JSON.stringify(all))).toEqual(all);
  });
});
