/**
 * The training loop shared by every model: NeuralForecast's sampling, window scaling, Adam with
 * StepLR, gradient-norm clipping, validation every `val_check_steps` and early stopping counted in
 * validation checks. Final weights are kept (NeuralForecast restores no checkpoint).
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError, TrainingError } from '@nflab/contracts';
import { availabilityFractions, validBatchSize, type CommonConfig } from '../config/common.js';
import type { Loss } from '../losses/types.js';
import type { ModelNetwork } from '../model/types.js';
import type { RevinParams } from '../scalers/window-scalers.js';
import { assembleWindows, disposeWindows } from '../windows/assemble.js';
import { createSeriesShuffler, jointTrainWindowRefs, jointValidationRefs } from '../windows/multivariate.js';
import { trainWindowRefs, validationWindowRefs, type WindowRef, type WindowShape } from '../windows/refs.js';
import { chunk, createTrainSampler } from '../windows/sampler.js';
import type { WindowSource } from '../windows/source.js';
import { createAdam } from './adam.js';
import { trainingLoss, validationLoss } from './outputs.js';
import {
  batchPreparation,
  disposePrepared,
  prepareBatch,
  prepareBatchKept,
  type PreparedBatch,
} from './prepare-batch.js';
import { stepFeedback, windowShapes, type TrainShape } from './recurrent.js';
import { clipByGlobalNorm, stepLearningRate } from './schedule.js';

/** Progress reported to {@link TrainOptions.onProgress}: every step's train loss and every validation loss. */
export type TrainingEvent =
  | { readonly kind: 'train'; readonly step: number; readonly loss: number; readonly learningRate: number }
  | { readonly kind: 'valid'; readonly step: number; readonly loss: number };

/** Options of {@link trainNetwork}. */
export interface TrainOptions {
  /** Name used in errors (alias or model id). */
  readonly modelName: string;
  readonly network: ModelNetwork;
  readonly config: CommonConfig;
  readonly loss: Loss;
  readonly validLoss: Loss;
  /** One source per series (already locally scaled). */
  readonly sources: readonly WindowSource[];
  /** Points at the end of each series used for validation only. @default 0 */
  readonly valSize?: number;
  /** RevIN's learnable parameters, trained with the network when `scaler_type` is `revin`. */
  readonly revin?: RevinParams;
  readonly onProgress?: (event: TrainingEvent) => void;
  /** Aborting stops training before the next step and rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** What a training run did. */
export interface TrainResult {
  /** Steps actually taken (fewer than max_steps after an early stop). */
  readonly steps: number;
  readonly trainLosses: readonly number[];
  readonly validLosses: readonly { readonly step: number; readonly loss: number }[];
  readonly stoppedEarly: boolean;
}

/** Seed of step `step`'s dropout masks, derived from the run seed so runs repeat exactly. */
const stepSeed = (seed: number, step: number): number => (Math.imul(seed | 0, 0x9e3779b1) + step) >>> 0;

/** Trains `network` in place; see the module comment. */
export const trainNetwork = async (options: TrainOptions): Promise<TrainResult> => {
  const { config, network, loss, sources, modelName } = options;
  const shapes = windowShapes(config, network);
  const shape = shapes.train;
  checkSeriesCount(network, sources.length, modelName);
  const nextRefs = trainingSampler(options, shapes.train);
  const validBatches = validationBatches(options, shapes.validate);
  // Buffers such as batch norm's running statistics are variables too, but never trained: a zero
  // gradient leaves Adam's update of them the identity, so they are left out of both.
  const variables = [
    ...network.variables,
    ...(options.revin ? [options.revin.weight, options.revin.bias] : []),
  ].filter((v) => v.trainable);
  const adam = createAdam(variables);
  const prep = batchPreparation(config, network, options.revin);
  const trainLosses: number[] = [];
  const validLosses: { step: number; loss: number }[] = [];
  let best = Infinity;
  let wait = 0;
  let stoppedEarly = false;
  try {
    for (let step = 0; step < config.max_steps; step += 1) {
      options.signal?.throwIfAborted();
      const raw = assembleWindows(sources, nextRefs(), shape);
      const learningRate = stepLearningRate(step, {
        learningRate: config.learning_rate,
        maxSteps: config.max_steps,
        numLrDecays: config.num_lr_decays,
      });
      const seed = stepSeed(config.random_seed, step);
      // Without RevIN the window scaling depends on no variable, so it runs before the gradient
      // tape: taped, each of its ~40 ops would also save a clone of its inputs for a backward pass
      // that never reaches them.
      const untaped = options.revin ? undefined : prepareBatchKept(raw, prep);
      const { value, grads } = tf.variableGrads(() => {
        const prepared = untaped ?? prepareBatch(raw, prep);
        return trainingLoss(
          loss,
          raw,
          prepared,
          network.forward(prepared.batch, {
            training: true,
            seed,
            ...teacherForcing(network, prepared, prep),
          }),
        );
      }, variables);
      const value0 = (await value.data())[0] as number;
      const ordered = variables.map((v) => grads[v.name] ?? tf.zerosLike(v));
      const clipped =
        config.gradient_clip_val === null ? ordered : clipByGlobalNorm(ordered, config.gradient_clip_val);
      if (Number.isFinite(value0)) adam.step(clipped, learningRate);
      tf.dispose([value, ...Object.values(grads), ...ordered, ...(clipped === ordered ? [] : clipped)]);
      if (untaped) disposePrepared(untaped, raw);
      disposeWindows(raw);
      if (!Number.isFinite(value0)) {
        throw new TrainingError(
          `model '${modelName}': training loss is ${value0} at step ${step + 1}; lower learning_rate, set gradient_clip_val or use a scaler_type`,
        );
      }
      trainLosses.push(value0);
      options.onProgress?.({ kind: 'train', step: step + 1, loss: value0, learningRate });
      if (validBatches.length === 0 || (step + 1) % config.val_check_steps !== 0) continue;
      const validValue = await evaluateValidation({ ...options, batches: validBatches, seed });
      if (!Number.isFinite(validValue)) {
        throw new TrainingError(`model '${modelName}': validation loss is ${validValue} at step ${step + 1}`);
      }
      validLosses.push({ step: step + 1, loss: validValue });
      options.onProgress?.({ kind: 'valid', step: step + 1, loss: validValue });
      if (validValue < best) {
        best = validValue;
        wait = 0;
      } else {
        wait += 1;
      }
      if (config.early_stop_patience_steps > 0 && wait >= config.early_stop_patience_steps) {
        stoppedEarly = true;
        break;
      }
    }
  } finally {
    adam.dispose();
  }
  return { steps: trainLosses.length, trainLosses, validLosses, stoppedEarly };
};

/**
 * The horizon a recurrent network reads as inputs while training (teacher forcing): the scaled
 * targets, or zeros under exclude_insample_y — NeuralForecast zeroes its whole shifted insample_y,
 * the teacher-forced horizon included. Direct networks get nothing. Call inside a tidy.
 */
const teacherForcing = (
  network: ModelNetwork,
  prepared: PreparedBatch,
  prep: { readonly excludeInsampleY: boolean },
): { target?: tf.Tensor3D } => {
  if (!network.recurrent) return {};
  const target = prepared.outsampleScaled; // [B, h_train, 1]
  return { target: prep.excludeInsampleY ? tf.zerosLike(target) : target };
};

/** Mean validation loss over every validation window, batches weighted by their window count. */
const evaluateValidation = async (
  options: TrainOptions & { readonly batches: readonly (readonly WindowRef[])[]; readonly seed: number },
): Promise<number> => {
  const { config, network, sources } = options;
  const shape = windowShapes(config, network).validate;
  const prep = batchPreparation(config, network, options.revin);
  let total = 0;
  let count = 0;
  for (const part of options.batches) {
    const raw = assembleWindows(sources, part, shape);
    const value = tf.tidy(() => {
      const prepared = prepareBatch(raw, prep);
      const feedback = stepFeedback(options.loss, prepared.scale);
      const output = network.forward(prepared.batch, { training: false, feedback });
      return validationLoss({
        loss: options.loss,
        validLoss: options.validLoss,
        raw,
        prepared,
        output,
        seed: options.seed,
      });
    });
    total += ((await value.data())[0] as number) * part.length;
    count += part.length;
    value.dispose();
    disposeWindows(raw);
  }
  return total / count;
};

/** A multivariate network's n_series must equal the number of series it is trained on. */
const checkSeriesCount = (network: ModelNetwork, series: number, modelName: string): void => {
  if (network.nSeries !== undefined && network.nSeries !== series) {
    throw new ConfigError(
      `model '${modelName}' is multivariate and was built for n_series ${network.nSeries}, but the data has ${series} series; set n_series to ${series}`,
    );
  }
};

/** What the training sampler reads of {@link TrainOptions}. */
type SamplerOptions = Pick<TrainOptions, 'config' | 'network' | 'sources' | 'valSize'>;

/**
 * The refs of each training step. Univariate: NeuralForecast's series batches, then windows.
 * Multivariate: every series is in every batch (NeuralForecast raises batch_size to n_series), so
 * one pool of window groups is sampled and each group becomes N consecutive rows, in the step's
 * shuffled series order (createSeriesShuffler).
 */
const trainingSampler = (options: SamplerOptions, shape: TrainShape): (() => WindowRef[]) => {
  const { config, sources } = options;
  const refsOptions = {
    ...shape,
    sources,
    holdout: options.valSize ?? 0,
    stepSize: config.step_size,
    startPaddingEnabled: config.start_padding_enabled,
    availability: availabilityFractions(config),
  };
  const common = {
    windowsBatchSize: config.windows_batch_size,
    dropLast: config.drop_last_loader,
    seed: config.random_seed,
  };
  if (options.network.nSeries !== undefined) {
    const sampler = createTrainSampler({
      ...common,
      refs: [jointTrainWindowRefs(refsOptions)],
      batchSize: 1,
    });
    const shuffle = createSeriesShuffler(sources.length, config.random_seed);
    return () => shuffle(sampler.next());
  }
  const sampler = createTrainSampler({
    ...common,
    refs: trainWindowRefs(refsOptions),
    batchSize: config.batch_size,
  });
  return () => sampler.next();
};

/**
 * A source of the refs of each training step, drawn as trainNetwork draws them (same sampler,
 * options and seeds): for replaying a run in a reference implementation.
 */
export const trainingStepRefs = (options: SamplerOptions): (() => WindowRef[]) =>
  trainingSampler(options, windowShapes(options.config, options.network).train);

/**
 * Validation windows in forward batches. Univariate: valid_batch_size series at a time, then
 * inference_windows_batch_size windows. Multivariate: inference_windows_batch_size window groups
 * (all series) at a time.
 */
const validationBatches = (options: TrainOptions, shape: WindowShape): WindowRef[][] => {
  const { config, sources } = options;
  const refsOptions = { ...shape, sources, valSize: options.valSize ?? 0, stepSize: config.step_size };
  if (options.network.nSeries !== undefined) {
    const groups = jointValidationRefs(refsOptions);
    if (groups.length === 0) return [];
    return chunk(groups, config.inference_windows_batch_size).map((part) => part.flat());
  }
  const refs = validationWindowRefs(refsOptions);
  if (refs.length === 0) return [];
  const seriesGroups = chunk([...new Set(refs.map((r) => r.series))], validBatchSize(config));
  return seriesGroups.flatMap((group) => {
    const members = new Set(group);
    return chunk(
      refs.filter((r) => members.has(r.series)),
      config.inference_windows_batch_size,
    );
  });
};
