/** Forecasting a list of windows with a trained network, in inference batches. */
import * as tf from '@tensorflow/tfjs-core';
import type { CommonConfig } from '../config/common.js';
import type { Loss } from '../losses/types.js';
import type { ModelNetwork } from '../model/types.js';
import type { RevinParams } from '../scalers/window-scalers.js';
import { assembleWindows, disposeWindows } from '../windows/assemble.js';
import type { WindowRef } from '../windows/refs.js';
import { chunk } from '../windows/sampler.js';
import type { WindowSource } from '../windows/source.js';
import { batchPreparation, prepareBatch } from './prepare-batch.js';
import { stepFeedback, windowShapes } from './recurrent.js';

/** Options of {@link forecastWindows}. */
export interface ForecastWindowsOptions {
  readonly network: ModelNetwork;
  readonly config: CommonConfig;
  readonly loss: Loss;
  readonly sources: readonly WindowSource[];
  readonly refs: readonly WindowRef[];
  readonly revin?: RevinParams;
  /** Seed for sampling losses. @default config.random_seed */
  readonly seed?: number;
}

/**
 * Forecast columns of every window: a flat array laid out [window, step, column] with
 * `loss.outputNames.length` columns, in the window scaler's original space.
 */
export const forecastWindows = async (options: ForecastWindowsOptions): Promise<Float32Array> => {
  const { config, network, loss, sources } = options;
  const shape = windowShapes(config, network).predict;
  const width = config.h * loss.outputNames.length;
  const out = new Float32Array(options.refs.length * width);
  const prep = batchPreparation(config, network, options.revin);
  let offset = 0;
  // A multivariate window is nSeries consecutive refs: batches hold whole windows.
  const perBatch = config.inference_windows_batch_size * (network.nSeries ?? 1);
  for (const part of chunk(options.refs, perBatch)) {
    const raw = assembleWindows(sources, part, shape);
    const columns = tf.tidy(() => {
      const prepared = prepareBatch(raw, prep);
      const feedback = stepFeedback(loss, prepared.scale);
      const output = network.forward(prepared.batch, { training: false, feedback }); // [B, H, K]
      return loss.forecast(loss.domainMap(output), prepared.scale, {
        seed: options.seed ?? config.random_seed,
        // NeuralForecast's recurrent predict: n_samples draws per step, the analytic mean as point.
        ...(network.recurrent ? { numSamples: network.recurrent.samples, analyticMean: true } : {}),
      }); // [B, H, N]
    });
    out.set(await columns.data(), offset);
    offset += part.length * width;
    columns.dispose();
    disposeWindows(raw);
  }
  return out;
};
