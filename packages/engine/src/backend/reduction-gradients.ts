/**
 * Sum's and Mean's gradients as tfjs-core writes them — dy broadcast back over the reduced axes by
 * a product with ones, Mean's then divided by the reduced size — with the ones made by the
 * backend's Fill kernel. tfjs-core's own `ones` fills a JavaScript array and uploads it: for a
 * layer norm over [1024, 512] (TiDE's blocks, twice per norm through `moments`) that was a 2 MB
 * allocation, a copy and garbage to collect per call, about a tenth of a TiDE step on wasm. The
 * ops and their order are unchanged, so the gradients are the same bits.
 */
import * as tf from '@tensorflow/tfjs-core';

/** dy reshaped to x's rank with 1 on the reduced axes, times ones of x's shape: [..] -> x.shape. */
const broadcastBack = (dy: tf.Tensor, x: tf.Tensor, axis: number | number[]): tf.Tensor => {
  const axes = tf.util.parseAxisParam(axis, x.shape);
  const expandedShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  return tf.mul(tf.reshape(dy, expandedShape), tf.fill(x.shape, 1, 'float32'));
};

/** The gradient configs that replace tfjs-core's for Sum and Mean. */
export const REDUCTION_GRADIENTS: readonly tf.GradConfig[] = [
  {
    kernelName: tf.Sum,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      const derX = broadcastBack(dy as tf.Tensor, x, (attrs as unknown as tf.SumAttrs).axis);
      return { x: () => derX };
    },
  },
  {
    kernelName: tf.Mean,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [tf.Tensor];
      const { axis } = attrs as unknown as tf.MeanAttrs;
      const axes = tf.util.parseAxisParam(axis, x.shape);
      const reduceSize = axes.reduce((size, a) => size * (x.shape[a] as number), 1);
      return { x: () => tf.div(broadcastBack(dy as tf.Tensor, x, axes), reduceSize) };
    },
  },
];

/** Registers {@link REDUCTION_GRADIENTS} (after tfjs-core's, which they replace). */
export const registerReductionGradients = (): void => {
  for (const config of REDUCTION_GRADIENTS) tf.registerGradient(config);
};
