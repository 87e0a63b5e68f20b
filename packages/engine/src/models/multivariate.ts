/**
 * Glue shared by every multivariate model (NeuralForecast's `MULTIVARIATE = True`): the required
 * `n_series` key, dimension checks, and the adapter that lets the shared windows, scalers, losses
 * and training loop drive a network that sees all series at once.
 *
 * The engine keeps one batch layout: a multivariate batch of B windows travels as B·N univariate
 * rows, window-major and series-minor (row b·N + n is series n of window b; while training, the n-th
 * series of the step's shuffled order, as NeuralForecast's train loader shuffles). Window scaling and
 * every loss then work per series exactly as NeuralForecast's do over [B, L, N] / [B, H, N] (its
 * losses are one weighted mean over every element, so the flattening changes no value); only the
 * network sees the [B, L, N] layout.
 */
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { ConfigError } from '@nflab/contracts';
import type {
  ExogenousSupport,
  ModelNetwork,
  MultivariateBatch,
  MultivariateDims,
  MultivariateNetwork,
} from '../model/types.js';
import type { ForwardContext } from '../nn/forward-context.js';
import type { ParamStore } from '../nn/params.js';
import { checkDims, wrapForward } from './network.js';

/** The `n_series` key of a multivariate model's config: required, as NeuralForecast raises without it. */
export const nSeriesSchema = (label: string) =>
  z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? `${label} is a multivariate model: set n_series to the number of series in the data`
          : undefined,
    })
    .int()
    .min(1);

/** A horizon a default search space can be built for. */
export const checkHorizon = (h: number): void => {
  if (!Number.isInteger(h) || h < 1) throw new ConfigError(`h must be a positive integer, got ${h}`);
};

/** {@link checkDims} plus a positive `nSeries`. */
export function checkMultivariateDims(
  model: { readonly label: string; readonly exogenous: ExogenousSupport },
  dims: MultivariateDims,
): void {
  checkDims(model, dims);
  if (!Number.isInteger(dims.nSeries) || dims.nSeries < 1) {
    throw new ConfigError(`${model.label}: n_series must be a positive integer, got ${dims.nSeries}`);
  }
}

/** Wraps a multivariate forward body into a {@link MultivariateNetwork}: one tidy per call, a seeded dropout context. */
export function toMultivariateNetwork(
  store: ParamStore,
  body: (batch: MultivariateBatch, ctx: ForwardContext) => tf.Tensor4D,
): MultivariateNetwork {
  return wrapForward(store, body);
}

/** [B·N, T, C] rows (series-minor) -> [B, C, T, N]: NeuralForecast's multivariate exogenous layout. */
const rowsToChannels = (x: tf.Tensor3D, n: number): tf.Tensor4D => {
  const [rows, t, c] = x.shape;
  return tf.transpose(tf.reshape(x, [rows / n, n, t, c]), [0, 3, 2, 1]); // [B, N, T, C] -> [B, C, T, N]
};

/** [B·N, T, 1] rows (series-minor) -> [B, T, N]. */
const rowsToSeries = (x: tf.Tensor3D, n: number): tf.Tensor3D => {
  const [rows, t] = x.shape;
  return tf.transpose(tf.reshape(x, [rows / n, n, t]), [0, 2, 1]); // [B, N, T] -> [B, T, N]
};

/**
 * The {@link ModelNetwork} the shared machinery drives: batches of B·N rows in, [B·N, H, K] out.
 * A batch whose row count is not a multiple of n_series is a bug in the windowing, not user input.
 */
export function toSeriesRowsNetwork(network: MultivariateNetwork, nSeries: number): ModelNetwork {
  return {
    variables: network.variables,
    nSeries,
    forward(batch, options) {
      const rows = batch.insampleY.shape[0];
      if (rows % nSeries !== 0) {
        throw new Error(
          `multivariate batch of ${rows} rows is not a whole number of ${nSeries}-series windows`,
        );
      }
      return tf.tidy(() => {
        const input: MultivariateBatch = {
          insampleY: rowsToSeries(batch.insampleY, nSeries),
          insampleMask: rowsToSeries(batch.insampleMask, nSeries),
          ...(batch.futrExog ? { futrExog: rowsToChannels(batch.futrExog, nSeries) } : {}),
          ...(batch.histExog ? { histExog: rowsToChannels(batch.histExog, nSeries) } : {}),
          // Every window of a batch carries the same static rows; the first window's are [N, S].
          ...(batch.statExog ? { statExog: tf.slice(batch.statExog, [0, 0], [nSeries, -1]) } : {}),
        };
        const output = network.forward(input, {
          training: options.training,
          ...(options.seed === undefined ? {} : { seed: options.seed }),
        }); // [B, H, N, K]
        const [b, h, n, k] = output.shape;
        return tf.reshape(tf.transpose(output, [0, 2, 1, 3]), [b * n, h, k]); // [B, N, H, K] -> [B·N, H, K]
      });
    },
    dispose() {
      network.dispose();
    },
  };
}
