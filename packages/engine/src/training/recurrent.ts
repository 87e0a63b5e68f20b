/**
 * What the shared loops do differently for a recurrent network (NeuralForecast's `RECURRENT = True`):
 * the window geometry of each phase and the value fed back between horizon steps.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CommonConfig } from '../config/common.js';
import type { Loss, WindowScale } from '../losses/types.js';
import type { ModelNetwork, StepFeedback } from '../model/types.js';
import type { WindowShape } from '../windows/refs.js';

/** The training windows' shape, with what the training loop needs besides L and H. */
export interface TrainShape extends WindowShape {
  /** Zeros after each series: NeuralForecast pads with h, even while a recurrent model trains on h_train. */
  readonly rightPadding: number;
  /** The window sizes under the user's names, for the too-short error. */
  readonly sizes: string;
}

/** Window shapes of training, validation and predict. */
export interface WindowShapes {
  readonly train: TrainShape;
  readonly validate: WindowShape;
  readonly predict: WindowShape;
}

/**
 * Direct networks: input_size and h everywhere. Recurrent: input_size + 1, h_train while training;
 * predict reads inference_input_size + 1 (NeuralForecast switches `input_size` only in predict).
 * Training series are right-padded with h zeros in both forms: NeuralForecast builds that padder
 * once from h, so h_train > h + 1 drops the last windows whose horizon would run past it.
 */
export const windowShapes = (config: CommonConfig, network: ModelNetwork): WindowShapes => {
  const { input_size: L, h } = config;
  const recurrent = network.recurrent;
  if (!recurrent) {
    const shape = { inputSize: L, h };
    return {
      train: { ...shape, rightPadding: h, sizes: `input_size ${L} + h ${h}` },
      validate: shape,
      predict: shape,
    };
  }
  return {
    train: {
      inputSize: recurrent.inputSize,
      h: recurrent.trainH,
      rightPadding: h,
      sizes: `input_size ${L} + 1 + h_train ${recurrent.trainH} (recurrent windows)`,
    },
    validate: { inputSize: recurrent.inputSize, h: config.h },
    predict: { inputSize: recurrent.predictInputSize, h: config.h },
  };
};

/**
 * NeuralForecast's feedback: a distribution loss feeds back its analytic mean, taken to the scaled
 * space with the window's loc / scale; a point loss feeds back the mean of its outputs (for MQLoss,
 * the mean of the quantiles). Call inside a tidy.
 */
export const stepFeedback = (loss: Loss, scale: WindowScale): StepFeedback => {
  const { mean } = loss;
  if (loss.isDistribution && mean) {
    return (raw) => tf.div(tf.sub(mean(loss.domainMap(raw), scale), scale.loc), scale.scale) as tf.Tensor3D; // [B, 1, 1]
  }
  return (raw) => tf.mean(loss.domainMap(raw), 2, true) as tf.Tensor3D; // [B, 1, K] -> [B, 1, 1]
};
