/**
 * The standard scaler on a batch's target channel in one JavaScript pass over the backend's
 * memory: each window's masked mean and population std over its input part, and both parts of the
 * window scaled with them. The tensor-op form (masked-stats.ts, window-scalers.ts) ran about 70
 * kernels for this at every training step — masks, selects, two reductions per statistic, guards —
 * each one's fixed cost far above the work on [B, L] values. Statistics are summed in float64 (the
 * tensor form sums in float32), so loc and scale agree with it to float32 rounding; given them the
 * scaled values are the same float32 operations, (y − loc) / scale.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  allocFloat32Outputs,
  backendMemory,
  NATIVE_BACKENDS,
  type NativeBackendName,
} from '../native/backend-memory.js';
import { WINDOW_SCALER_EPS } from './window-scalers.js';

/** The standard scaler's output for the target channel. */
export interface StandardTargetScaling {
  /** [B, 1, 1] masked mean of each window's input part (0 when nothing is observed). */
  readonly loc: tf.Tensor3D;
  /** [B, 1, 1] its population std, 0 replaced by 1, plus eps. */
  readonly scale: tf.Tensor3D;
  /** [B, L, 1] */
  readonly insampleScaled: tf.Tensor3D;
  /** [B, H, 1] */
  readonly outsampleScaled: tf.Tensor3D;
}

let enabled = true;

/** Off: the tensor-op form (for A/B measurements and equivalence tests). @default on */
export const setStandardTargetPass = (on: boolean): void => {
  enabled = on;
};

/**
 * Scales the target of [B, L, 1] input windows (mask of the same shape) and their [B, H, 1]
 * horizons; null when the pass does not apply (another backend, not float32 memory), and the
 * caller runs the tensor ops. Tensors belong to the caller's scope.
 */
export const standardTargetPass = (
  insampleY: tf.Tensor3D,
  insampleMask: tf.Tensor3D,
  outsampleY: tf.Tensor3D,
): StandardTargetScaling | null => {
  const name = tf.getBackend() as NativeBackendName;
  if (!enabled || !(NATIVE_BACKENDS as readonly string[]).includes(name)) return null;
  const [B, L, C] = insampleY.shape;
  const H = outsampleY.shape[1];
  if (C !== 1 || outsampleY.shape[2] !== 1 || insampleMask.shape.join() !== insampleY.shape.join())
    return null;
  if ([insampleY, insampleMask, outsampleY].some((t) => t.dtype !== 'float32')) return null;
  const got = allocFloat32Outputs(
    backendMemory(name, tf.backend()),
    [insampleY, insampleMask, outsampleY],
    [
      [B, 1, 1],
      [B, 1, 1],
      [B, L, 1],
      [B, H, 1],
    ],
  );
  if (!got) return null;
  const [y, mask, future, loc, scale, inScaled, outScaled] = got.views;
  scaleWindows({ y, mask, future, loc, scale, inScaled, outScaled }, B, L, H);
  const [locT, scaleT, inT, outT] = got.outputs.map(
    (info) => tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor3D,
  );
  return { loc: locT!, scale: scaleT!, insampleScaled: inT!, outsampleScaled: outT! };
};

interface Views {
  readonly y: Float32Array;
  readonly mask: Float32Array;
  readonly future: Float32Array;
  readonly loc: Float32Array;
  readonly scale: Float32Array;
  readonly inScaled: Float32Array;
  readonly outScaled: Float32Array;
}

/** The pass itself, window by window (masked positions never reach a statistic). */
const scaleWindows = (v: Views, B: number, L: number, H: number): void => {
  for (let b = 0; b < B; b++) {
    const start = b * L;
    let count = 0;
    let sum = 0;
    for (let t = start; t < start + L; t++) {
      if (v.mask[t]! > 0) {
        count += 1;
        sum += v.y[t]!;
      }
    }
    const mean = count > 0 ? Math.fround(sum / count) : 0;
    let squares = 0;
    for (let t = start; t < start + L; t++) {
      if (v.mask[t]! > 0) {
        const d = v.y[t]! - mean;
        squares += d * d;
      }
    }
    const std = count > 0 ? Math.fround(Math.sqrt(squares / count)) : 0;
    // NeuralForecast's guard: a zero scale becomes 1, then eps is added to every scale.
    const s = Math.fround((std === 0 ? 1 : std) + WINDOW_SCALER_EPS);
    v.loc[b] = mean;
    v.scale[b] = s;
    // fround between the two operations: float32's (y − loc), then its quotient, as tensor ops do.
    for (let t = start; t < start + L; t++) v.inScaled[t] = Math.fround(v.y[t]! - mean) / s;
    for (let t = b * H; t < (b + 1) * H; t++) v.outScaled[t] = Math.fround(v.future[t]! - mean) / s;
  }
};
