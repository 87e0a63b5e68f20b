import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, modelIdOf } from '@nflab/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelDims } from '../src/model/types.js';
import {
  MODELS,
  MODEL_IDS,
  MULTIVARIATE_MODEL_IDS,
  UNIVARIATE_MODEL_IDS,
  getModelSpec,
  getUnivariateModelSpec,
  isModelId,
} from '../src/models/registry.js';
import { logicalName } from '../src/nn/params.js';
import { dims, disposeBatch, randomBatch, snapshot, useCpu } from './models-fixtures.js';
import { SMALL_CONFIGS } from './models-small-configs.js';

beforeAll(useCpu);

/**
 * Variables NeuralForecast itself never uses yet creates and counts: FEDformer wraps its Fourier
 * blocks in the attention layer's projections, and the blocks read only the queries (self) or the
 * queries and keys (cross); TFT gives every variable selection network's joint GRN a context layer,
 * and calls the static one without a context.
 */
const DEAD_BY_DESIGN: Partial<Record<string, RegExp>> = {
  fedformer:
    /\/(attn_layers_\d+\/attention|self_attention)\/(key|value)_projection\/|\/cross_attention\/value_projection\//,
  tft: /\/static_encoder\/vsn\/joint_grn\/lin_c\//,
};

describe('model registry', () => {
  it('holds the 33 NeuralForecast 3.2 models the lab ships, each under its NeuralForecast class name', () => {
    expect(Object.fromEntries(MODEL_IDS.map((id) => [id, MODELS[id].label]))).toEqual({
      mlp: 'MLP',
      nhits: 'NHITS',
      nbeats: 'NBEATS',
      nbeatsx: 'NBEATSx',
      dlinear: 'DLinear',
      nlinear: 'NLinear',
      tide: 'TiDE',
      deepnpts: 'DeepNPTS',
      rnn: 'RNN',
      lstm: 'LSTM',
      gru: 'GRU',
      tcn: 'TCN',
      kan: 'KAN',
      bitcn: 'BiTCN',
      timesnet: 'TimesNet',
      deepar: 'DeepAR',
      dilatedrnn: 'DilatedRNN',
      vanillatransformer: 'VanillaTransformer',
      informer: 'Informer',
      patchtst: 'PatchTST',
      autoformer: 'Autoformer',
      fedformer: 'FEDformer',
      tft: 'TFT',
      mlpmultivariate: 'MLPMultivariate',
      tsmixer: 'TSMixer',
      tsmixerx: 'TSMixerx',
      rmok: 'RMoK',
      xlinear: 'XLinear',
      timemixer: 'TimeMixer',
      itransformer: 'iTransformer',
      softs: 'SOFTS',
      softssharp: 'SOFTSSharp',
      timexer: 'TimeXer',
      timellm: 'TimeLLM',
      stemgnn: 'StemGNN',
    });
    expect(MULTIVARIATE_MODEL_IDS).toEqual([
      'mlpmultivariate',
      'tsmixer',
      'tsmixerx',
      'rmok',
      'xlinear',
      'timemixer',
      'itransformer',
      'softs',
      'softssharp',
      'timexer',
      'stemgnn',
    ]);
    expect(UNIVARIATE_MODEL_IDS).toHaveLength(24);
  });

  it('keys every model by its own id, lowercase', () => {
    for (const [key, spec] of Object.entries(MODELS)) {
      expect(spec.id).toBe(key);
      expect(key).toBe(key.toLowerCase());
    }
  });

  it("reads every model's NeuralForecast class name in a spec as its id", () => {
    for (const [id, spec] of Object.entries(MODELS)) {
      expect(modelIdOf(spec.label)).toBe(id);
      expect(modelIdOf(`Auto${spec.label}`)).toBe(`auto_${id}`);
    }
  });

  it('getModelSpec returns specs and rejects unknown ids listing the registered ones', () => {
    expect(getModelSpec('mlp')).toBe(MODELS.mlp);
    expect(isModelId('nope')).toBe(false);
    expect(() => getModelSpec('nope')).toThrow(ConfigError);
    expect(() => getModelSpec('nope')).toThrow(MODEL_IDS.join(', '));
  });
});

/** Builds model `id` with its small config. */
function build(id: (typeof MODEL_IDS)[number], d: ModelDims, seed = 1) {
  const spec = getUnivariateModelSpec(id);
  return spec.build(spec.configSchema.parse(SMALL_CONFIGS[id]), d, seed);
}

/** Exogenous sizes to exercise for a model: 0, and 2-3 columns of each kind it supports. */
function exogVariants(id: (typeof MODEL_IDS)[number]): Partial<ModelDims>[] {
  const { futr, hist, stat } = MODELS[id].exogenous;
  const variants: Partial<ModelDims>[] = [{}];
  if (futr || hist || stat) {
    variants.push({ futrExogSize: futr ? 2 : 0, histExogSize: hist ? 3 : 0, statExogSize: stat ? 2 : 0 });
  }
  return variants;
}

/**
 * Models NeuralForecast builds for point losses only (one output per step); more outputs are a
 * ConfigError. Read from the registry's `pointLossOnly`, so the flag the planner and the wizard
 * trust is the one this test checks against what each build does.
 */
const POINT_LOSS_ONLY: ReadonlySet<string> = new Set(
  MODEL_IDS.filter((id) => getModelSpec(id).pointLossOnly),
);

// Univariate networks: multivariate ones ([B, L, N] windows, n_series) have models-multivariate.test.ts.
describe.each(UNIVARIATE_MODEL_IDS)('%s', (id) => {
  it('parses its default config', () => {
    expect(() => MODELS[id].configSchema.parse({})).not.toThrow();
  });

  it('emits [B, H, nOutputs] for several shapes', () => {
    const shapes = [
      { h: 2, inputSize: 4, nOutputs: 1 },
      { h: 6, inputSize: 12, nOutputs: 3 },
      { h: 5, inputSize: 7, nOutputs: 2 },
    ];
    for (const shape of shapes) {
      for (const exog of exogVariants(id)) {
        const d = dims({ ...shape, ...exog });
        if (d.nOutputs > 1 && POINT_LOSS_ONLY.has(id)) {
          expect(() => build(id, d), JSON.stringify(d)).toThrow(ConfigError);
          continue;
        }
        const net = build(id, d);
        const batch = randomBatch(d, 3);
        const out = net.forward(batch, { training: false });
        expect(out.shape, JSON.stringify(d)).toEqual([3, d.h, d.nOutputs]);
        expect(Array.from(out.dataSync()).every(Number.isFinite)).toBe(true);
        tf.dispose(out);
        disposeBatch(batch);
        net.dispose();
      }
    }
  });

  it('same seed gives identical weights and outputs; another seed differs', () => {
    const d = dims({ h: 4, inputSize: 8 });
    const [a, b, c] = [build(id, d, 11), build(id, d, 11), build(id, d, 12)];
    expect(snapshot(a.variables)).toEqual(snapshot(b.variables));
    expect(snapshot(a.variables)).not.toEqual(snapshot(c.variables));
    const batch = randomBatch(d, 2);
    const [ya, yb, yc] = [a, b, c].map((n) => n.forward(batch, { training: false }));
    expect(Array.from(ya?.dataSync() ?? [])).toEqual(Array.from(yb?.dataSync() ?? []));
    expect(Array.from(ya?.dataSync() ?? [])).not.toEqual(Array.from(yc?.dataSync() ?? []));
    tf.dispose([ya, yb, yc].filter((t) => t !== undefined));
    disposeBatch(batch);
    [a, b, c].forEach((n) => n.dispose());
  });

  it('names its variables <id>/<block>/<layer>/<kind>, unique and in the same order on every build', () => {
    const d = dims({ h: 4, inputSize: 8, ...(exogVariants(id)[1] ?? {}) });
    const [a, b] = [build(id, d, 1), build(id, d, 2)];
    const names = a.variables.map(logicalName);
    expect(names).toEqual(b.variables.map(logicalName));
    expect(new Set(names).size).toBe(names.length);
    // real/imag: the two halves of a complex weight (FEDformer's Fourier blocks).
    for (const name of names)
      expect(name).toMatch(
        new RegExp(`^${id}/[a-z0-9_/]+/(kernel|bias|weight|running_mean|running_var|real|imag)$`),
      );
    a.dispose();
    b.dispose();
  });

  it('leaks no tensors in forward, gradients and dispose', () => {
    const d = dims({ h: 3, inputSize: 6, ...(exogVariants(id)[1] ?? {}) });
    const batch = randomBatch(d, 2);
    const before = tf.memory().numTensors;
    const net = build(id, d);
    const afterBuild = tf.memory().numTensors;
    expect(afterBuild - before).toBe(net.variables.length + (net.frozen?.length ?? 0));
    for (const training of [false, true]) {
      const loss = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(
          () => tf.mean(tf.square(net.forward(batch, { training, seed: 3 }))) as tf.Scalar,
          net.variables as tf.Variable[],
        );
        // Every variable gets a gradient, so none is dead weight — except where NeuralForecast has some.
        const dead = DEAD_BY_DESIGN[id];
        const live = net.variables.filter((v) => !dead?.test(logicalName(v)));
        expect(Object.keys(grads).sort()).toEqual(live.map((v) => v.name).sort());
        return value;
      });
      loss.dispose();
      expect(tf.memory().numTensors).toBe(afterBuild);
    }
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
    disposeBatch(batch);
  });

  it('uses exogenous inputs it supports and rejects the ones it does not', () => {
    const { futr, hist, stat } = MODELS[id].exogenous;
    const kinds = [
      ['futrExogSize', 'futrExog', futr],
      ['histExogSize', 'histExog', hist],
      ['statExogSize', 'statExog', stat],
    ] as const;
    for (const [sizeKey, batchKey, supported] of kinds) {
      const d = dims({ h: 4, inputSize: 8, [sizeKey]: 2 });
      if (!supported) {
        expect(() => build(id, d)).toThrow(ConfigError);
        continue;
      }
      const net = build(id, d);
      const batch = randomBatch(d, 2, 5);
      const other = randomBatch(d, 2, 50);
      const y1 = net.forward(batch, { training: false });
      const y2 = net.forward({ ...batch, [batchKey]: other[batchKey] }, { training: false });
      expect(Array.from(y1.dataSync()), batchKey).not.toEqual(Array.from(y2.dataSync()));
      tf.dispose([y1, y2]);
      disposeBatch(batch);
      disposeBatch(other);
      net.dispose();
    }
  });
});
