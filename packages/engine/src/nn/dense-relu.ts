/**
 * y = relu(x W + b) as one op with its own gradient. TensorFlow.js' fused matMul does not fuse a
 * relu while gradients are recorded (training), so a dense layer ran as MatMul, Add and Relu
 * forward and Step, Multiply, Sum backward, each a pass over the [B, out] activation. Here the
 * forward is one `_FusedMatMul` kernel (bias and relu in its epilogue; the native BLAS path does
 * both in place) and the backward one `NflabReluBackward` pass plus the two matmuls.
 */
import * as tf from '@tensorflow/tfjs-core';
import { reluBackward } from '../backend/relu-backward-kernel.js';

/** x W + b through the backend's fused kernel ([B, in] · [in, out] + [out], then relu). */
const fusedForward = (x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D => {
  const [rows, inFeatures] = x.shape;
  const outFeatures = kernel.shape[1];
  // The kernels expect rank-3 operands, as tf.fused.matMul hands them over.
  const y = tf.engine().runKernel(
    tf._FusedMatMul,
    {
      a: tf.reshape(x, [1, rows, inFeatures]),
      b: tf.reshape(kernel, [1, inFeatures, outFeatures]),
      bias,
    } as unknown as tf.NamedTensorMap,
    { transposeA: false, transposeB: false, activation: 'relu' } as unknown as tf.NamedAttrMap,
  ) as tf.Tensor3D;
  return tf.reshape(y, [rows, outFeatures]);
};

const op = tf.customGrad((x, kernel, bias, save) => {
  const y = fusedForward(x as tf.Tensor2D, kernel as tf.Tensor2D, bias as tf.Tensor1D);
  (save as tf.GradSaveFunc)([x as tf.Tensor, kernel as tf.Tensor, y]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, w, ys] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const [dz, biasGrad] = reluBackward(dy as tf.Tensor2D, ys);
      return [tf.matMul(dz, w, false, true), tf.matMul(xs, dz, true, false), biasGrad];
    },
  };
});

/** relu(x W + b) for x [B, in], W [in, out], b [out] -> [B, out]. */
export const denseRelu = (x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D =>
  op(x, kernel, bias) as tf.Tensor2D;
