/**
 * Window scaling of a raw batch, as NeuralForecast's `_normalization`: statistics from the input
 * part only (the horizon never leaks into them), applied to the target and to the temporal
 * exogenous channels. Call inside `tf.tidy`; every returned tensor belongs to that scope.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WindowScale } from '../losses/types.js';
import type { CodeChannels, ModelNetwork, WindowBatch } from '../model/types.js';
import { standardTargetPass } from '../scalers/standard-target-pass.js';
import { toWindowScale, windowScaler, type RevinParams } from '../scalers/window-scalers.js';
import type { WindowScalerType } from '../scalers/types.js';
import type { RawWindows } from '../windows/assemble.js';

/** A batch ready for the network and the loss. */
export interface PreparedBatch {
  /** What the model sees (scaled). */
  readonly batch: WindowBatch;
  /** Target scale of each window (for the loss and the inverse). */
  readonly scale: WindowScale;
  /** [B, H, 1] horizon targets in the scaled space. */
  readonly outsampleScaled: tf.Tensor3D;
  /** [B, L, 1] input window in the scaled space, even when the model's copy is zeroed. */
  readonly insampleScaled: tf.Tensor3D;
}

/** Options of {@link prepareBatch}. */
export interface PrepareBatchOptions {
  readonly scalerType: WindowScalerType;
  /** RevIN's learnable parameters when `scalerType` is `revin`. */
  readonly revin?: RevinParams;
  /** Zero the input window (NeuralForecast's `exclude_insample_y`). */
  readonly excludeInsampleY: boolean;
  /** Channels holding category codes, which bypass the scaler (NeuralForecast scales them not). */
  readonly categoricalChannels?: CodeChannels;
}

/** The options a network's batches are prepared with, from its training config. */
export const batchPreparation = (
  config: { readonly scaler_type: WindowScalerType; readonly exclude_insample_y: boolean },
  network: Pick<ModelNetwork, 'categoricalChannels'>,
  revin: RevinParams | undefined,
): PrepareBatchOptions => ({
  scalerType: config.scaler_type,
  excludeInsampleY: config.exclude_insample_y,
  ...(revin ? { revin } : {}),
  ...(network.categoricalChannels ? { categoricalChannels: network.categoricalChannels } : {}),
});

/** `scaled` with the listed channels of the last axis taken from `raw` instead. */
const keepChannels = (
  scaled: tf.Tensor3D,
  raw: tf.Tensor3D,
  channels: readonly number[] | undefined,
): tf.Tensor3D => {
  if (channels === undefined || channels.length === 0) return scaled;
  const width = raw.shape[2];
  const isCode = tf.tensor1d(
    Array.from({ length: width }, (_, c) => channels.includes(c)),
    'bool',
  );
  return tf.where(tf.broadcastTo(isCode, raw.shape), raw, scaled);
};

/** Scales a raw batch; see the module comment. */
export const prepareBatch = (raw: RawWindows, options: PrepareBatchOptions): PreparedBatch => {
  const { scalerType } = options;
  // Exogenous channels use the plain statistics: RevIN's affine part belongs to the target only.
  const exogScaler = windowScaler(scalerType === 'revin' ? 'standard' : scalerType);
  const target = targetScaling(raw, options);
  const { insampleScaled, outsampleScaled } = target;
  const L = raw.insampleY.shape[1];
  let futrExog: tf.Tensor3D | undefined;
  if (raw.futrExog) {
    const inputPart = tf.slice(raw.futrExog, [0, 0, 0], [-1, L, -1]); // [B, L+H, F] -> [B, L, F]
    const scaled = exogScaler.scale(raw.futrExog, exogScaler.stats(inputPart, raw.insampleMask)); // [B, L+H, F]
    futrExog = keepChannels(scaled, raw.futrExog, options.categoricalChannels?.futr);
  }
  const histExog = raw.histExog
    ? keepChannels(
        exogScaler.scale(raw.histExog, exogScaler.stats(raw.histExog, raw.insampleMask)),
        raw.histExog,
        options.categoricalChannels?.hist,
      )
    : undefined;
  const insampleY = options.excludeInsampleY ? tf.zerosLike(insampleScaled) : insampleScaled;
  const batch: WindowBatch = {
    insampleY,
    insampleMask: raw.insampleMask,
    ...(futrExog ? { futrExog } : {}),
    ...(histExog ? { histExog } : {}),
    ...(raw.statExog ? { statExog: raw.statExog } : {}),
  };
  return { batch, scale: target.scale, outsampleScaled, insampleScaled };
};

/** The target's window scale and its scaled input and horizon ([B, L, 1], [B, H, 1]). */
const targetScaling = (
  raw: RawWindows,
  options: PrepareBatchOptions,
): { scale: WindowScale; insampleScaled: tf.Tensor3D; outsampleScaled: tf.Tensor3D } => {
  const { scalerType } = options;
  // The standard scaler without RevIN: one pass over the backend's memory where it can (~70 kernels fewer).
  const pass =
    scalerType === 'standard' && !options.revin
      ? standardTargetPass(raw.insampleY, raw.insampleMask, raw.outsampleY)
      : null;
  if (pass) {
    const { loc, scale, insampleScaled, outsampleScaled } = pass;
    return { scale: { loc, scale, type: scalerType }, insampleScaled, outsampleScaled };
  }
  const yScaler = windowScaler(scalerType, options.revin ? { revin: options.revin } : {});
  const stats = yScaler.stats(raw.insampleY, raw.insampleMask); // [B, 1, 1] each
  return {
    scale: toWindowScale(stats, scalerType),
    insampleScaled: yScaler.scale(raw.insampleY, stats), // [B, L, 1]
    outsampleScaled: yScaler.scale(raw.outsampleY, stats), // [B, H, 1]
  };
};

/**
 * {@link prepareBatch} in a tidy of its own, for a batch prepared before the step's gradient scope;
 * free it with {@link disposePrepared}.
 */
export const prepareBatchKept = (raw: RawWindows, options: PrepareBatchOptions): PreparedBatch =>
  // tidy keeps every tensor of the returned object; PreparedBatch only lacks the index signature
  // of tfjs' TensorContainerObject.
  tf.tidy(
    () => prepareBatch(raw, options) as unknown as tf.TensorContainerObject,
  ) as unknown as PreparedBatch;

/** Frees the tensors of a {@link prepareBatchKept} batch, except those it shares with `raw`. */
export const disposePrepared = (prepared: PreparedBatch, raw: RawWindows): void => {
  const shared = new Set<tf.Tensor | undefined>(Object.values(raw));
  const { batch, scale } = prepared;
  const tensors: (tf.Tensor | undefined)[] = [
    ...Object.values(batch),
    scale.loc,
    scale.scale,
    prepared.outsampleScaled,
    prepared.insampleScaled,
  ];
  tf.dispose([...new Set(tensors.filter((t): t is tf.Tensor => t !== undefined && !shared.has(t)))]);
};
