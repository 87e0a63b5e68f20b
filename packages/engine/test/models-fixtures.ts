/** Shared fixtures of the model tests: a CPU backend, random batches and a tiny sine task. */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type { ModelDims, WindowBatch } from '../src/model/types.js';

/** Selects the CPU backend once; the unit tests need no WebAssembly start-up. */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** Dims with no exogenous columns and one output, overridable. */
export function dims(partial: Partial<ModelDims> & Pick<ModelDims, 'h' | 'inputSize'>): ModelDims {
  return { futrExogSize: 0, histExogSize: 0, statExogSize: 0, nOutputs: 1, ...partial };
}

/** A batch of `b` windows of normal noise matching `d` (exogenous only where d asks for them). */
export function randomBatch(d: ModelDims, b: number, seed = 7): WindowBatch {
  const { h, inputSize: L } = d;
  return {
    insampleY: tf.randomNormal([b, L, 1], 0, 1, 'float32', seed),
    insampleMask: tf.ones([b, L, 1]),
    ...(d.futrExogSize > 0
      ? { futrExog: tf.randomNormal([b, L + h, d.futrExogSize], 0, 1, 'float32', seed + 1) }
      : {}),
    ...(d.histExogSize > 0
      ? { histExog: tf.randomNormal([b, L, d.histExogSize], 0, 1, 'float32', seed + 2) }
      : {}),
    ...(d.statExogSize > 0
      ? { statExog: tf.randomNormal([b, d.statExogSize], 0, 1, 'float32', seed + 3) }
      : {}),
  };
}

/** Frees every tensor of a batch. */
export function disposeBatch(batch: WindowBatch): void {
  tf.dispose(
    [batch.insampleY, batch.insampleMask, batch.futrExog, batch.histExog, batch.statExog].filter(
      (t) => t !== undefined,
    ),
  );
}

/** Windows of a noiseless sine of period 8: inputs [b, L, 1] and targets [b, H, 1]. */
export function sineWindows(options: { b: number; inputSize: number; h: number }): {
  batch: WindowBatch;
  y: tf.Tensor3D;
} {
  const { b, inputSize: L, h } = options;
  const x: number[] = [];
  const y: number[] = [];
  for (let w = 0; w < b; w += 1) {
    for (let t = 0; t < L + h; t += 1) {
      const v = Math.sin((2 * Math.PI * (w + t)) / 8);
      (t < L ? x : y).push(v);
    }
  }
  return {
    batch: { insampleY: tf.tensor3d(x, [b, L, 1]), insampleMask: tf.ones([b, L, 1]) },
    y: tf.tensor3d(y, [b, h, 1]),
  };
}

/** Reads every variable of a network into plain arrays (for equality checks between builds). */
export function snapshot(variables: readonly tf.Variable[]): number[][] {
  return variables.map((v) => Array.from(v.dataSync()));
}
