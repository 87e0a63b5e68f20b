/** Glue shared by every model: dimension checks against the capability table and the ModelNetwork wrapper. */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import type { ExogenousSupport, ModelDims, ModelNetwork, WindowBatch } from '../model/types.js';
import { createForwardContext, type ForwardContext } from '../nn/forward-context.js';
import type { ParamStore } from '../nn/params.js';

/**
 * Rejects dims a model cannot honour: non-positive sizes, or exogenous columns of a kind the model
 * does not take (NeuralForecast raises for those too rather than silently ignoring them).
 */
export function checkDims(
  model: { readonly label: string; readonly exogenous: ExogenousSupport },
  dims: ModelDims,
): void {
  for (const key of ['h', 'inputSize', 'nOutputs'] as const) {
    const value = dims[key];
    if (!Number.isInteger(value) || value < 1) {
      throw new ConfigError(`${model.label}: ${key} must be a positive integer, got ${value}`);
    }
  }
  const kinds = [
    ['futrExogSize', 'futr', 'futr_exog_list'],
    ['histExogSize', 'hist', 'hist_exog_list'],
    ['statExogSize', 'stat', 'stat_exog_list'],
  ] as const;
  for (const [sizeKey, kind, listName] of kinds) {
    const size = dims[sizeKey];
    if (!Number.isInteger(size) || size < 0) {
      throw new ConfigError(`${model.label}: ${sizeKey} must be a non-negative integer, got ${size}`);
    }
    if (size > 0 && !model.exogenous[kind]) {
      const allowed = (['futr', 'hist', 'stat'] as const).filter((k) => model.exogenous[k]);
      throw new ConfigError(
        `${model.label} does not accept ${listName} (got ${size} columns); it accepts ${
          allowed.length > 0 ? allowed.map((k) => `${k}_exog_list`).join(', ') : 'no exogenous variables'
        }`,
      );
    }
  }
}

/** Returns a batch tensor the network was built to use, or throws naming what is missing. */
export function requireInput<T extends tf.Tensor>(
  value: T | undefined,
  name: keyof WindowBatch,
  label: string,
): T {
  if (value === undefined) {
    throw new ConfigError(`${label} was built with ${name} columns but the batch has no ${name}`);
  }
  return value;
}

/**
 * A forward body over `store`'s weights as a network: one tidy per call, a seeded dropout context.
 * Univariate ({@link toNetwork}) and multivariate networks differ only in their batch and output.
 */
export function wrapForward<Batch, Output extends tf.Tensor>(
  store: ParamStore,
  body: (batch: Batch, ctx: ForwardContext) => Output,
): {
  readonly variables: readonly tf.Variable[];
  forward(batch: Batch, options: Parameters<typeof createForwardContext>[0]): Output;
  dispose(): void;
} {
  return {
    variables: store.variables,
    forward(batch, options) {
      const ctx = createForwardContext(options, store.rng);
      return tf.tidy(() => body(batch, ctx));
    },
    dispose() {
      store.dispose();
    },
  };
}

/** Wraps a model's forward body into a {@link ModelNetwork}. */
export function toNetwork(
  store: ParamStore,
  body: (batch: WindowBatch, ctx: ForwardContext) => tf.Tensor3D,
): ModelNetwork {
  return wrapForward(store, body);
}
