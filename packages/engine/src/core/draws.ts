/**
 * Forecast draws instead of summaries: a view of a fitted model whose output columns are
 * `samples` draws per step from its distribution loss, for callers that must combine draws
 * across series before summarising them (HINT's reconciliation).
 */
import { ConfigError } from '@nflab/contracts';
import type { Loss } from '../losses/types.js';
import type { CoreModel } from './fitted-model.js';

/** Most draws a forecast may ask for per step: they are held as columns of every row. */
export const MAX_FORECAST_SAMPLES = 10_000;

/** Column suffix of draw `k` (`NHITS-sample-0` …). */
export const sampleSuffix = (k: number): string => `-sample-${k}`;

/** `model` with its loss's summary columns replaced by `samples` draws (same network, same seed). */
export const drawingView = (model: CoreModel, samples: number): CoreModel => {
  if (!Number.isInteger(samples) || samples < 1 || samples > MAX_FORECAST_SAMPLES)
    throw new ConfigError(`samples must be an integer from 1 to ${MAX_FORECAST_SAMPLES}; got ${samples}`);
  const { loss } = model;
  const sample = loss.sample;
  if (sample === undefined)
    throw new ConfigError(
      `model '${model.name}' (loss '${loss.id}') gives no draws to sample; use a distribution loss (DistributionLoss) for samples`,
    );
  const drawing: Loss = {
    ...loss,
    outputNames: Array.from({ length: samples }, (_, k) => sampleSuffix(k)),
    pointIndex: 0,
    forecast: (yHat, scale, options) => sample(yHat, scale, { seed: options.seed, numSamples: samples }),
  };
  return { ...model, loss: drawing };
};
