import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import { activeBackend, setBackend } from '../src/backend/backend.js';

describe('setBackend', () => {
  it('runs on wasm by default and reports it', async () => {
    await setBackend();
    expect(activeBackend()).toBe('wasm');
    const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).arraySync());
    expect(sum).toEqual([4, 6]);
  });

  it('switches to cpu', async () => {
    await setBackend('cpu');
    expect(activeBackend()).toBe('cpu');
    await setBackend('wasm');
  });

  it('rejects tensorflow when tfjs-node is not installed, and unknown names', async () => {
    await expect(setBackend('tensorflow')).rejects.toThrow(ConfigError);
    await expect(setBackend('tensorflow')).rejects.toThrow(/@tensorflow\/tfjs-node/);
    // @ts-expect-error an invalid name from an untyped caller
    await expect(setBackend('gpu')).rejects.toThrow(/wasm, cpu, tensorflow/);
  });
});
