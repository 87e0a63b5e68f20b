/**
 * The dilation machinery of NeuralForecast's `DRNN` (Chang et al. 2017): a layer with rate r sees
 * the window as r interleaved sub-sequences (steps j, j+r, j+2r, … for each phase j), runs its cell
 * over each from a zero state, and interleaves the outputs back. The window is zero-padded at its
 * end to a multiple of r first, as NeuralForecast pads; for causal cells the padded steps only
 * produce outputs that are cut off again, but a layer attending over its whole sub-sequence
 * (AttentiveLSTM) sees them.
 * @see Chang et al. (2017), "Dilated Recurrent Neural Networks", NeurIPS. https://arxiv.org/abs/1710.02224
 */
import * as tf from '@tensorflow/tfjs-core';

/** Runs one recurrent layer over a whole sequence from a zero state: [N, T, in] -> [N, T, hidden]. */
export type SequenceLayer = (x: tf.Tensor3D) => tf.Tensor3D;

/**
 * Applies `layer` with dilation `rate` to [B, T, in]; returns [B, T, hidden]. The r sub-sequences
 * are stacked along the batch, phase-major (phase 0's B windows first), as NeuralForecast stacks
 * them, so one unroll of ⌈T/r⌉ steps serves all phases.
 */
export function dilate(layer: SequenceLayer, x: tf.Tensor3D, rate: number): tf.Tensor3D {
  if (rate === 1) return layer(x);
  return tf.tidy(() => {
    const [B, T, C] = x.shape;
    const steps = Math.ceil(T / rate); // NeuralForecast's dilated_steps
    const padded =
      steps * rate > T
        ? tf.pad(x, [
            [0, 0],
            [0, steps * rate - T],
            [0, 0],
          ])
        : x; // [B, steps·r, C]
    // [B, steps·r, C] -> [B, steps, r, C] -> [r, B, steps, C] -> [r·B, steps, C]
    const phases = tf.reshape(tf.transpose(tf.reshape(padded, [B, steps, rate, C]), [2, 0, 1, 3]), [
      rate * B,
      steps,
      C,
    ]) as tf.Tensor3D;
    const out = layer(phases); // [r·B, steps, D]
    const D = out.shape[2];
    // [r·B, steps, D] -> [r, B, steps, D] -> [B, steps, r, D] -> [B, steps·r, D]; drop the padding.
    const woven = tf.reshape(tf.transpose(tf.reshape(out, [rate, B, steps, D]), [1, 2, 0, 3]), [
      B,
      steps * rate,
      D,
    ]);
    return tf.slice(woven, [0, 0, 0], [B, T, D]) as tf.Tensor3D;
  });
}

/** A layer of a `DRNN` module and its dilation rate. */
export interface DilatedLayer {
  readonly run: SequenceLayer;
  readonly rate: number;
}

/** One `DRNN` module: its layers applied in order, each dilated by its own rate. [B, T, in] -> [B, T, hidden]. */
export function runDrnn(layers: readonly DilatedLayer[], x: tf.Tensor3D): tf.Tensor3D {
  return layers.reduce((y, { run, rate }) => dilate(run, y, rate), x);
}
