import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@nflab/contracts';
import { setBackend } from '../src/backend/backend.js';
import { runResidualStack } from '../src/models/residual-stack.js';
import { createForwardContext } from '../src/nn/forward-context.js';

beforeAll(async () => {
  await setBackend('wasm');
});

describe('runResidualStack', () => {
  it('starts every horizon step and output from the last observed value, exactly', () => {
    const last = [1.1, -3.3e-7, 12345.678];
    const insampleY = tf.tensor3d(last.map((v) => [[0.5], [2], [v]])); // [3, 3, 1]
    const insampleMask = tf.onesLike(insampleY);
    const ctx = createForwardContext({ training: false }, new Rng(1));
    const out = runResidualStack({ insampleY, insampleMask }, ctx, { blocks: [], h: 2, nOutputs: 3 });
    expect(out.shape).toEqual([3, 2, 3]);
    expect(Array.from(out.dataSync())).toEqual(last.flatMap((v) => Array(6).fill(Math.fround(v))));
    tf.dispose([insampleY, insampleMask, out]);
  });
});
