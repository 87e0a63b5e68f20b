/**
 * What the exports for the PyTorch references share (tftref-export, torchref-export: one batch;
 * tftref-trajectory, torchref-trajectory: a whole training run): AirPassengersPanel's two series,
 * a network's variables by logical name, the loss and gradients of one batch and Adam steps on it,
 * the per-step losses of trainNetwork, and the cross-validation windows with their MAE.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  createAdam,
  createLoss,
  logicalName,
  trainingStepRefs,
  trainNetwork,
  type CommonConfig,
  type ModelNetwork,
} from '../../packages/engine/src/index.js';
import type { WindowSource } from '../../packages/engine/src/windows/source.js';
import { AIR_PASSENGERS } from '../../packages/engine/test/fixtures/air-passengers.js';

/** AirPassengersPanel's values: Airline1 = AirPassengers, Airline2 = AirPassengers + 300. */
export const airPassengersSeries = (): number[][] => [
  AIR_PASSENGERS.map(Number),
  AIR_PASSENGERS.map((y) => Number(y) + 300),
];

/** A variable's values by its logical name (the name the references map to their modules). */
export interface NamedValues {
  readonly name: string;
  readonly values: number[];
}

/** The variables with their shapes, as the references load them. */
export const variableValues = (
  variables: readonly tf.Variable[],
): (NamedValues & { readonly shape: number[] })[] =>
  variables.map((v) => ({ name: logicalName(v), shape: v.shape, values: Array.from(v.dataSync()) }));

/** `lossOf`'s value and its gradient for every variable (zeros where none reaches it). */
export function lossAndGrads(
  variables: readonly tf.Variable[],
  lossOf: () => tf.Scalar,
): { readonly loss: number; readonly grads: NamedValues[] } {
  const { value, grads } = tf.variableGrads(lossOf, [...variables]);
  return {
    loss: value.dataSync()[0] as number,
    grads: variables.map((v) => ({
      name: logicalName(v),
      values: Array.from((grads[v.name] ?? tf.zerosLike(v)).dataSync()),
    })),
  };
}

/**
 * `steps` Adam steps (learning rate 1e-3) on `lossOf`: the loss before each step, and the
 * variables after the last.
 */
export function adamSteps(
  variables: readonly tf.Variable[],
  lossOf: () => tf.Scalar,
  steps: number,
): { readonly losses: number[]; readonly finalVariables: NamedValues[] } {
  const adam = createAdam(variables);
  const losses: number[] = [];
  for (let s = 0; s < steps; s += 1) {
    const step = tf.variableGrads(lossOf, [...variables]);
    losses.push(step.value.dataSync()[0] as number);
    adam.step(
      variables.map((v) => step.grads[v.name] ?? tf.zerosLike(v)),
      1e-3,
    );
    tf.dispose([step.value, ...Object.values(step.grads)]);
  }
  const finalVariables = variables.map((v) => ({ name: logicalName(v), values: Array.from(v.dataSync()) }));
  return { losses, finalVariables };
}

/** The first `length` points of each series as fully observed training sources without exogenous. */
export const trainSources = (series: readonly number[][], length: number): WindowSource[] =>
  series.map((s) => ({
    y: Float64Array.from(s.slice(0, length)),
    mask: new Float64Array(length).fill(1),
    futr: [],
    hist: [],
    stat: [],
  }));

/** A training run: options of {@link trainStepRefs} and {@link trainStepLosses}. */
export interface TrainRunOptions {
  readonly modelName: string;
  readonly network: ModelNetwork;
  readonly config: CommonConfig;
  readonly sources: readonly WindowSource[];
}

/**
 * The windows of trainNetwork's first `steps` steps as [series, start] pairs (no validation
 * holdout), for the reference to train on the same batches.
 */
export function trainStepRefs(options: TrainRunOptions, steps: number): number[][][] {
  const next = trainingStepRefs(options);
  return Array.from({ length: steps }, () => next().map((r) => [r.series, r.start]));
}

/** Trains `network` with trainNetwork (the config's loss, validation too); every training step's loss. */
export async function trainStepLosses(options: TrainRunOptions): Promise<number[]> {
  const loss = createLoss(options.config.loss);
  const losses: number[] = [];
  await trainNetwork({
    ...options,
    loss,
    validLoss: loss,
    onProgress: (e) => {
      if (e.kind === 'train') losses.push(e.loss);
    },
  });
  return losses;
}

/** Where the cross-validation windows' inputs end (their horizons follow). */
export const CV_CUTOFFS = [108, 120, 132] as const;

/** The cross-validation windows' inputs of every series, [3·N, L, 1] window-major. */
export const cvInputs = (series: readonly number[][], L: number): tf.Tensor3D =>
  tf.tensor3d(
    CV_CUTOFFS.flatMap((c) => series.flatMap((s) => s.slice(c - L, c))),
    [CV_CUTOFFS.length * series.length, L, 1],
  );

/** MAE of a [3·N, h, 1] window-major forecast of the cross-validation windows. */
export const cvMae = (series: readonly number[][], forecast: tf.Tensor, h: number): number => {
  const actual = CV_CUTOFFS.flatMap((c) => series.flatMap((s) => s.slice(c, c + h)));
  const f = forecast.dataSync();
  return actual.reduce((a, y, i) => a + Math.abs(y - (f[i] as number)), 0) / actual.length;
};
