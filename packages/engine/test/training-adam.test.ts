import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { setBackend } from '../src/backend/backend.js';
import { createAdam } from '../src/training/adam.js';

/** Runs `steps` Adam updates on a fresh [3, 4] variable with fixed gradients; returns the final values. */
const run = (fused: boolean, steps: number): Float32Array => {
  const initial = tf.tensor2d(
    [...Array(12).keys()].map((i) => Math.sin(i) * 3),
    [3, 4],
  );
  const x = tf.variable(initial);
  initial.dispose();
  const adam = createAdam([x], { fused });
  for (let t = 0; t < steps; t++) {
    const g = tf.tidy(() => tf.mul(tf.cos(tf.add(x, t)), 2 + t));
    adam.step([g], 0.05 / (1 + t));
    g.dispose();
  }
  const values = x.dataSync() as Float32Array;
  adam.dispose();
  x.dispose();
  return values;
};

afterAll(async () => {
  await setBackend('cpu');
});

describe.each(['cpu', 'wasm'] as const)('fused Adam on %s', (backend) => {
  it('matches the tensor-op update step for step, and frees what it allocates', async () => {
    await setBackend(backend);
    const before = tf.memory().numTensors;
    const fused = run(true, 7);
    const reference = run(false, 7);
    expect(tf.memory().numTensors).toBe(before);
    for (let i = 0; i < 12; i++) expect(fused[i]).toBeCloseTo(reference[i]!, 5);
    // The update moved every value (gradients are never zero here).
    const start = [...Array(12).keys()].map((i) => Math.fround(Math.sin(i) * 3));
    expect([...fused].filter((v, i) => v === start[i])).toEqual([]);
  });

  it("takes PyTorch's first step exactly", async () => {
    await setBackend(backend);
    const x = tf.variable(tf.scalar(1));
    const adam = createAdam([x]);
    const g = tf.scalar(2);
    adam.step([g], 0.1);
    // m̂ = 2, v̂ = 4 -> x -= 0.1 * 2 / (2 + 1e-8)
    expect(x.dataSync()[0]).toBeCloseTo(0.9, 6);
    adam.dispose();
    tf.dispose([x, g]);
  });
});
