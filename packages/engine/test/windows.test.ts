import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import { setBackend } from '../src/backend/backend.js';
import {
  assembleWindows,
  chunk,
  createTrainSampler,
  disposeWindows,
  refAtCutoff,
  trainWindowRefs,
  validationWindowRefs,
  windowArrays,
  type WindowSource,
} from '../src/windows/index.js';

const source = (y: number[], mask?: number[], extra: Partial<WindowSource> = {}): WindowSource => ({
  y: Float64Array.from(y),
  mask: Float64Array.from(mask ?? y.map(() => 1)),
  futr: [],
  hist: [],
  stat: [],
  ...extra,
});

const base = {
  inputSize: 2,
  h: 1,
  holdout: 0,
  stepSize: 1,
  startPaddingEnabled: false,
  availability: [0, 0] as const,
};

describe('trainWindowRefs', () => {
  it('unfolds L + H windows and keeps the right-padded last ones with an observed horizon point', () => {
    // y = 1..5, L = 2, H = 1: starts 0..3 (start 3 would need y[5], which is padding -> dropped).
    const refs = trainWindowRefs({ ...base, sources: [source([1, 2, 3, 4, 5])] });
    expect(refs[0]!.map((r) => r.start)).toEqual([0, 1, 2]);
  });

  it('with H = 2 keeps a window whose horizon is half padding', () => {
    const refs = trainWindowRefs({ ...base, h: 2, sources: [source([1, 2, 3, 4, 5])] });
    // starts 0, 1 (full) and 2 (horizon = [y5, pad]); start 3 has an all-padding horizon.
    expect(refs[0]!.map((r) => r.start)).toEqual([0, 1, 2]);
  });

  it('holds out validation points, steps by step_size and pads left when enabled', () => {
    const s = source([1, 2, 3, 4, 5, 6, 7]);
    expect(trainWindowRefs({ ...base, sources: [s], holdout: 2 })[0]!.map((r) => r.start)).toEqual([0, 1, 2]);
    expect(trainWindowRefs({ ...base, sources: [s], stepSize: 2 })[0]!.map((r) => r.start)).toEqual([
      0, 2, 4,
    ]);
    const padded = trainWindowRefs({
      ...base,
      inputSize: 3,
      sources: [source([1, 2, 3])],
      startPaddingEnabled: true,
    });
    // L - 1 = 2 zeros on the left: starts -2, -1 (start 0 would have no horizon point).
    expect(padded[0]!.map((r) => r.start)).toEqual([-2, -1]);
  });

  it('applies training_data_availability_threshold to both parts', () => {
    const s = source([1, 2, 3, 4, 5, 6], [1, 0, 0, 1, 1, 1]);
    // L = 2: window inputs [1,0],[0,0],[0,1],[1,1]; f_in = 1 needs both observed.
    expect(trainWindowRefs({ ...base, sources: [s], availability: [1, 0] })[0]!.map((r) => r.start)).toEqual([
      3,
    ]);
    // default threshold needs one observed point in each part: start 0 (horizon y3 missing) and
    // start 1 (input [0, 0]) are dropped.
    expect(trainWindowRefs({ ...base, sources: [s] })[0]!.map((r) => r.start)).toEqual([2, 3]);
  });

  it('pads with rightPadding zeros instead of H when given (a recurrent model training on h_train)', () => {
    const s = source([1, 2, 3, 4, 5, 6, 7, 8]);
    // L = 2, H = 4, 1 zero of padding: padded length 9, windows of 6 start at 0..3, all with an
    // observed horizon point. Padding with H would add starts 4 and 5 (horizons [7, 8, pad, pad], [8, pad …]).
    expect(trainWindowRefs({ ...base, h: 4, rightPadding: 1, sources: [s] })[0]!.map((r) => r.start)).toEqual(
      [0, 1, 2, 3],
    );
    expect(trainWindowRefs({ ...base, h: 4, sources: [s] })[0]!.map((r) => r.start)).toEqual([
      0, 1, 2, 3, 4, 5,
    ]);
    // More padding than H adds only windows whose horizon is all padding, which are dropped.
    expect(trainWindowRefs({ ...base, h: 1, rightPadding: 3, sources: [s] })[0]!.map((r) => r.start)).toEqual(
      [0, 1, 2, 3, 4, 5],
    );
    expect(() =>
      trainWindowRefs({ ...base, h: 8, rightPadding: 1, sources: [s], sizes: 'the sizes' }),
    ).toThrow(/too short for the sizes after/);
  });

  it('raises a ConfigError when no series yields a window', () => {
    expect(() => trainWindowRefs({ ...base, inputSize: 5, sources: [source([1, 2, 3])] })).toThrow(
      ConfigError,
    );
  });
});

describe('validationWindowRefs', () => {
  it('places horizons in the last val_size points every step_size', () => {
    const refs = validationWindowRefs({
      inputSize: 2,
      h: 2,
      valSize: 4,
      stepSize: 1,
      sources: [source([1, 2, 3, 4, 5, 6, 7, 8])],
    });
    // val part = positions 4..7; horizons start at 4, 5, 6.
    expect(refs.map((r) => r.start + 2)).toEqual([4, 5, 6]);
    expect(refs.every((r) => r.limit === 8)).toBe(true);
    expect(() =>
      validationWindowRefs({ inputSize: 2, h: 3, valSize: 2, stepSize: 1, sources: [source([1, 2, 3])] }),
    ).toThrow(/val_size 2/);
  });
});

describe('windowArrays', () => {
  it('copies values, pads outside [0, limit) and lays exogenous out as [B, T, C]', () => {
    const s = source([10, 20, 30, 40], [1, 0, 1, 1], {
      futr: [Float64Array.from([1, 2, 3, 4, 5])],
      hist: [Float64Array.from([7, 8, 9, 10])],
      stat: [42],
    });
    const refs = [refAtCutoff(0, 1, 2, 3), refAtCutoff(0, 3, 2, 5)];
    const a = windowArrays([s], refs, { inputSize: 2, h: 2 });
    // window 1: positions -1..2 with limit 3; window 2: positions 1..4 with limit 5.
    expect([...a.insampleY]).toEqual([0, 10, 20, 30]);
    expect([...a.insampleMask]).toEqual([0, 1, 0, 1]);
    expect([...a.outsampleY]).toEqual([20, 30, 40, 0]);
    expect([...a.outsampleMask]).toEqual([0, 1, 1, 0]);
    expect([...a.futrExog]).toEqual([0, 1, 2, 3, 2, 3, 4, 5]);
    expect([...a.histExog]).toEqual([0, 7, 8, 9]);
    expect([...a.statExog]).toEqual([42, 42]);
  });

  it('builds tensors of the contract shapes without leaking', async () => {
    await setBackend('cpu');
    const before = tf.memory().numTensors;
    const s = source([1, 2, 3, 4], undefined, { futr: [Float64Array.from([1, 1, 1, 1])], stat: [1, 2] });
    const w = assembleWindows([s], [refAtCutoff(0, 2, 2, 4)], { inputSize: 2, h: 2 });
    expect(w.insampleY.shape).toEqual([1, 2, 1]);
    expect(w.outsampleY.shape).toEqual([1, 2, 1]);
    expect(w.futrExog?.shape).toEqual([1, 4, 1]);
    expect(w.histExog).toBeUndefined();
    expect(w.statExog?.shape).toEqual([1, 2]);
    disposeWindows(w);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('createTrainSampler', () => {
  const refs = [0, 1, 2].map((series) => [0, 1, 2, 3].map((start) => ({ series, start, limit: 10 })));

  it('draws windows_batch_size windows from batch_size series, reproducibly', () => {
    const a = createTrainSampler({ refs, batchSize: 1, windowsBatchSize: 3, dropLast: false, seed: 7 });
    const b = createTrainSampler({ refs, batchSize: 1, windowsBatchSize: 3, dropLast: false, seed: 7 });
    const stepsA = Array.from({ length: 6 }, () => a.next());
    const stepsB = Array.from({ length: 6 }, () => b.next());
    expect(stepsA).toEqual(stepsB);
    for (const step of stepsA) {
      expect(step).toHaveLength(3);
      expect(new Set(step.map((r) => r.series)).size).toBe(1);
      // 4 windows >= 3 requested: drawn without replacement.
      expect(new Set(step.map((r) => r.start)).size).toBe(3);
    }
    // one epoch of 3 steps visits every series once.
    expect(new Set(stepsA.slice(0, 3).map((s) => s[0]!.series))).toEqual(new Set([0, 1, 2]));
  });

  it('samples with replacement when fewer windows exist than requested', () => {
    const sampler = createTrainSampler({
      refs,
      batchSize: 3,
      windowsBatchSize: 20,
      dropLast: false,
      seed: 1,
    });
    expect(sampler.next()).toHaveLength(20);
  });

  it('chunks inference batches', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([1, 2], -1)).toEqual([[1, 2]]);
  });
});
