/**
 * The masked MAE of a point forecast — Σ_{w>0} |y − ŷ|·w / Σ w, 0 when Σ w = 0 — and its gradient
 * as one JavaScript pass each over the backend's memory. The tensor-op form (observed targets,
 * weighted mean, divide-no-NaN with its own gradient) ran ~20 kernels forward and ~30 backward
 * at every training step of every model on the default loss, on [B, H] values a loop covers in
 * microseconds. The gradient is the same float32 operations the tensor form's backward performs,
 * dŷ = ∓ (dL / Σw)·w (the sign of y − ŷ, as tfjs' Abs gradient takes it: −1 at 0), so it is
 * identical; the loss value is summed in float64 (the tensor form sums in float32), so it agrees
 * to float32 rounding.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  allocFloat32Outputs,
  backendMemory,
  NATIVE_BACKENDS,
  type NativeBackendName,
} from '../native/backend-memory.js';

let enabled = true;

/** Off: the tensor-op form (for A/B measurements and equivalence tests). @default on */
export const setMaePass = (on: boolean): void => {
  enabled = on;
};

/** The backend's memory when the pass applies to these tensors (float32, same shapes), else null. */
const memoryFor = (tensors: readonly tf.Tensor[]) => {
  const name = tf.getBackend() as NativeBackendName;
  if (!enabled || !(NATIVE_BACKENDS as readonly string[]).includes(name)) return null;
  const [first] = tensors;
  if (tensors.some((t) => t.dtype !== 'float32' || t.shape.join() !== first?.shape.join())) return null;
  return backendMemory(name, tf.backend());
};

const tensorOf = <T extends tf.Tensor>(info: tf.TensorInfo): T =>
  tf.engine().makeTensorFromTensorInfo(info) as T;

/** The op for one batch; the weights are a mask, never differentiated, so not one of its inputs. */
const opWith = (weights: tf.Tensor) =>
  tf.customGrad((yHat, y, save) => {
    const memory = memoryFor([yHat as tf.Tensor])!;
    const forward = allocFloat32Outputs(memory, [yHat as tf.Tensor, y as tf.Tensor, weights], [[]])!;
    const [p, t, w, value] = forward.views;
    let total = 0;
    let weight = 0;
    for (let i = 0; i < p.length; i++) {
      const wi = w[i]!;
      weight += wi;
      if (wi > 0) total += Math.abs(Math.fround(t[i]! - p[i]!)) * wi;
    }
    value[0] = weight === 0 ? 0 : total / weight;
    (save as tf.GradSaveFunc)([yHat as tf.Tensor, y as tf.Tensor, weights]);
    return {
      value: tensorOf<tf.Scalar>(forward.outputs[0]),
      gradFunc: (dL: tf.Tensor, saved: tf.Tensor[]) => {
        const [pred, target, mask] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const backward = allocFloat32Outputs(
          memoryFor([pred])!,
          [pred, target, mask, dL],
          [pred.shape, pred.shape],
        )!;
        const [ps, ts, ws, g, dp, dt] = backward.views;
        let sum = 0;
        for (let i = 0; i < ws.length; i++) sum += ws[i]!;
        const den = Math.fround(sum);
        // divide-no-NaN: no weight, no gradient; else dL / Σw in float32, times each weight.
        const c = den === 0 ? 0 : Math.fround(g[0]! / den);
        for (let i = 0; i < ws.length; i++) {
          const wi = ws[i]!;
          // Only observed steps reach the loss; tfjs' Abs gradient takes the sign as +1 above 0, else −1.
          const slope = wi > 0 ? Math.fround(c * wi) * (Math.fround(ts[i]! - ps[i]!) > 0 ? 1 : -1) : 0;
          dp[i] = -slope;
          dt[i] = slope;
        }
        return backward.outputs.map((info) => tensorOf(info));
      },
    };
  });

/**
 * The masked MAE of yHat against y with weights `mask` (all [B, H, 1]) as one op, or null when
 * the pass does not apply (another backend or dtype, shapes that broadcast) and the caller runs
 * the tensor ops.
 */
export const maePass = (y: tf.Tensor, yHat: tf.Tensor, mask: tf.Tensor): tf.Scalar | null =>
  memoryFor([yHat, y, mask]) ? (opWith(mask)(yHat, y) as tf.Scalar) : null;
