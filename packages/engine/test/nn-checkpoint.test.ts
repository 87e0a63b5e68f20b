/**
 * Gradient checkpointing (nn/checkpoint.ts): the same value and gradients as the block run on the
 * tape, with dropout masks replayed on the recomputation, inside an outer backward without
 * disturbing it, and nothing leaked.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@nflab/contracts';
import { checkpoint } from '../src/nn/checkpoint.js';
import { dropout } from '../src/nn/dropout.js';
import { createForwardContext, type ForwardContext } from '../src/nn/forward-context.js';
import { createParamStore } from '../src/nn/params.js';
import { useCpu } from './models-fixtures.js';

beforeAll(useCpu);

describe('checkpoint', () => {
  it('gives the value and gradients of the block itself, dropout masks included', () => {
    const store = createParamStore('ckpt', 1);
    const w = store.uniform('w/kernel', [3, 3], { low: -1, high: 1 });
    const b = store.uniform('w/bias', [3], { low: -1, high: 1 });
    const x = tf.randomNormal([4, 3], 0, 1, 'float32', 2);
    const block = ([input]: tf.Tensor[], ctx: ForwardContext) =>
      tf.elu(dropout(tf.add(tf.matMul(tf.sigmoid(input!), w), b), 0.5, ctx));
    const measure = (checkpointed: boolean) =>
      tf.tidy(() => {
        // Same pass seed: the same masks for the direct run and the checkpointed one.
        const ctx = createForwardContext({ training: true, seed: 9 }, new Rng(1));
        const f = (input: tf.Tensor) =>
          tf.sum(
            tf.square(
              checkpointed
                ? checkpoint(block, [tf.mul(input, 2)], [w, b], ctx)
                : block([tf.mul(input, 2)], ctx),
            ),
          ) as tf.Scalar;
        const { value, grads } = tf.variableGrads(() => f(x), [w, b]);
        const dx = tf.grad(f)(x);
        return [value, grads[w.name]!, grads[b.name]!, dx].map((t) => Array.from(t.dataSync()));
      });
    const before = tf.memory().numTensors;
    const got = measure(true);
    expect(tf.memory().numTensors).toBe(before);
    const want = measure(false);
    expect(want[3]!.some((v) => v !== 0)).toBe(true);
    got.forEach((values, i) => values.forEach((v, j) => expect(v).toBeCloseTo(want[i]![j]!, 5)));
    x.dispose();
    store.dispose();
  });
});
