/**
 * The dilation machinery of NeuralForecast's `DRNN` (Chang et al. 2017): a layer with rate r sees
 * the window as r interleaved sub-sequences (steps j, j+r, j+2r, … for each phase j), runs its cell
 * over each from a zero state, and interleaves the outputs back. The window is zero-padded at its
 * end to a multiple of r first, as NeuralForecast pads; for causal cells the padded steps only
 * produce outputs that are cut off again, but a layer attending over its whole sub-sequence
 * (AttentiveLSTM) sees them.
 *
 * Sequences here are time-major, [T, B, ·]: the r sub-sequences stacked along the batch are then
 * the same memory as the window, [steps·r, B, ·] read as [steps, r·B, ·], so dilating is a reshape
 * (batch-first it took a transpose each way, and their gradients).
 * @see Chang et al. (2017), "Dilated Recurrent Neural Networks", NeurIPS. https://arxiv.org/abs/1710.02224
 */
import * as tf from '@tensorflow/tfjs-core';

/** Runs one recurrent layer over a whole time-major sequence from a zero state: [T, N, in] -> [T, N, hidden]. */
export type SequenceLayer = (x: tf.Tensor3D) => tf.Tensor3D;

/**
 * Applies `layer` with dilation `rate` to [T, B, in]; returns [T, B, hidden]. The r sub-sequences
 * are stacked along the batch, phase-major (phase 0's B windows first), as NeuralForecast stacks
 * them, so one unroll of ⌈T/r⌉ steps serves all phases.
 */
export function dilate(layer: SequenceLayer, x: tf.Tensor3D, rate: number): tf.Tensor3D {
  if (rate === 1) return layer(x);
  return tf.tidy(() => {
    const [T, B, C] = x.shape;
    const steps = Math.ceil(T / rate); // NeuralForecast's dilated_steps
    const padding = steps * rate - T;
    const padded =
      padding > 0
        ? tf.pad(x, [
            [0, padding],
            [0, 0],
            [0, 0],
          ])
        : x; // [steps·r, B, C]
    // Row (s, j·B + b) of [steps, r·B, C] is step s·r + j of window b.
    const out = layer(tf.reshape(padded, [steps, rate * B, C])); // -> [steps, r·B, D]
    const woven = tf.reshape(out, [steps * rate, B, out.shape[2]]) as tf.Tensor3D; // -> [steps·r, B, D]
    return padding > 0 ? tf.slice(woven, [0, 0, 0], [T, B, -1]) : woven; // drop the padding
  });
}

/** A layer of a `DRNN` module and its dilation rate. */
export interface DilatedLayer {
  readonly run: SequenceLayer;
  readonly rate: number;
}

/** One `DRNN` module: its layers applied in order, each dilated by its own rate. [T, B, in] -> [T, B, hidden]. */
export function runDrnn(layers: readonly DilatedLayer[], x: tf.Tensor3D): tf.Tensor3D {
  return layers.reduce((y, { run, rate }) => dilate(run, y, rate), x);
}
