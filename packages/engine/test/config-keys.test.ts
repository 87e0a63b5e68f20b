import { describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import {
  CONDITIONAL_NF_KEYS,
  COMMON_KEYS,
  IGNORED_NF_KEYS,
  checkConfigKeyNames,
  checkConfigKeys,
  modelConfigKeys,
  nearestKey,
} from '../src/config/index.js';
import { buildAutoSetup } from '../src/auto/auto-config.js';
import { NeuralForecast } from '../src/core/index.js';
import { MODEL_IDS, getModelSpec } from '../src/models/registry.js';

const base = { h: 4, input_size: 8, max_steps: 2 };
const build = (config: Record<string, unknown>, alias?: string): NeuralForecast =>
  new NeuralForecast({ models: [{ id: 'nhits', config: { ...base, ...config }, alias }], freq: 1 });

describe('strict model config keys', () => {
  it('names the key, the model and the nearest valid key for a typo of a model key', () => {
    const bad = (): unknown => build({ n_pool_kernel: [2, 2, 1] });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(
      /^nhits: unknown config key 'n_pool_kernel' — did you mean 'n_pool_kernel_size'\? Valid keys: stack_types, .*mlp_units.*learning_rate/,
    );
  });

  it('suggests common keys too, and nothing when no key is close', () => {
    expect(() => build({ learning_rat: 0.1 })).toThrow(/did you mean 'learning_rate'\?/);
    expect(() => build({ zq_wx: 1 })).toThrow(/unknown config key 'zq_wx' Valid keys:/);
  });

  it('uses the column name in the message when an alias is given', () => {
    expect(() => build({ hiden_size: 8 }, 'fast')).toThrow(
      /^nhits \('fast'\): unknown config key 'hiden_size'/,
    );
  });

  it("accepts NeuralForecast's hardware and logging arguments as documented no-ops", () => {
    const plumbing = {
      accelerator: 'gpu',
      devices: 2,
      logger: false,
      enable_progress_bar: false,
      enable_checkpointing: false,
      num_workers_loader: 4,
      dataloader_kwargs: { pin_memory: true },
    };
    const spec = getModelSpec('nhits');
    expect(checkConfigKeys({ ...base, ...plumbing }, { modelName: 'NHITS', spec })).toEqual(base);
    expect(() => build(plumbing)).not.toThrow();
  });

  it('accepts optimizer and scheduler arguments only at the values that describe Adam and StepLR', () => {
    expect(() => build({ optimizer: null, optimizer_kwargs: {}, lr_scheduler_kwargs: null })).not.toThrow();
    expect(() => build({ optimizer_kwargs: { weight_decay: 0.01 } })).toThrow(
      /config key 'optimizer_kwargs' = \{"weight_decay":0.01\} is not supported — .*Adam/,
    );
    expect(() => build({ lr_scheduler: 'OneCycleLR' })).toThrow(/num_lr_decays/);
    expect(() => build({ precision: 32 })).not.toThrow();
    expect(() => build({ precision: 16 })).toThrow(/float32/);
  });

  it("reads NeuralForecast's alias argument as the column name, and refuses two different names", () => {
    expect(build({ alias: 'mine' }).models.map((m) => m.name)).toEqual(['mine']);
    expect(() => build({ alias: 'mine' }, 'other')).toThrow(/alias 'other' and config.alias 'mine' differ/);
    expect(() => build({ alias: 3 })).toThrow(/config key 'alias' must be a non-empty string/);
  });

  it('keeps the decided NeuralForecast keys apart from the real config keys', () => {
    const decided = [...Object.keys(IGNORED_NF_KEYS), ...Object.keys(CONDITIONAL_NF_KEYS), 'alias'];
    for (const id of MODEL_IDS) {
      const valid = [...modelConfigKeys(getModelSpec(id)), ...COMMON_KEYS];
      expect(decided.filter((key) => valid.includes(key))).toEqual([]);
    }
  });

  it.each(MODEL_IDS)('%s: every key of the default Auto search space is a valid config key', (id) => {
    const spec = getModelSpec(id);
    const valid = [...modelConfigKeys(spec), ...COMMON_KEYS];
    expect(Object.keys(spec.defaultSearchSpace(12)).filter((key) => !valid.includes(key))).toEqual([]);
  });
});

describe('Auto search spaces', () => {
  it('reject an unknown searched key once, up front, with the nearest valid key', () => {
    const setup = (): unknown =>
      buildAutoSetup({
        model: 'nhits',
        h: 4,
        config: { n_pool_kernel: { kind: 'categorical', choices: [[2, 2, 1]] } },
      });
    expect(setup).toThrow(ConfigError);
    expect(setup).toThrow(/^nhits: unknown config key 'n_pool_kernel' — did you mean 'n_pool_kernel_size'\?/);
  });

  it('accept the decided NeuralForecast keys by name, whatever their searched values', () => {
    const spec = getModelSpec('mlp');
    expect(() =>
      checkConfigKeyNames(['accelerator', 'optimizer_kwargs', 'hidden_size', 'h'], {
        modelName: 'MLP',
        spec,
      }),
    ).not.toThrow();
    expect(() => checkConfigKeyNames(['hidden_sizes'], { modelName: 'MLP', spec })).toThrow(
      /did you mean 'hidden_size'\?/,
    );
  });
});

describe('nearestKey', () => {
  it('prefers containment, then edit distance, and gives up when nothing is close', () => {
    expect(nearestKey('n_pool_kernel', ['n_blocks', 'n_pool_kernel_size'])).toBe('n_pool_kernel_size');
    expect(nearestKey('max_step', ['max_steps', 'val_check_steps'])).toBe('max_steps');
    expect(nearestKey('dropout', ['dropout_prob_theta', 'activation'])).toBe('dropout_prob_theta');
    expect(nearestKey('xyz', ['h', 'input_size'])).toBeUndefined();
  });
});
