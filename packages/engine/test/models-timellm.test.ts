import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import { setBackend } from '../src/backend/backend.js';
import { NeuralForecast } from '../src/core/index.js';
import type { ModelDims } from '../src/model/types.js';
import { MODELS } from '../src/models/registry.js';
import { buildPrompt, lowerMedian, pythonFloat, topLags } from '../src/models/timellm/prompt.js';
import { countParameters, logicalName } from '../src/nn/params.js';
import { writeTinyGpt2 } from './llm-fixtures.js';
import { dims, disposeBatch, randomBatch, useCpu } from './models-fixtures.js';

const spec = MODELS.timellm;
let root: string;
let llm: string;
/** Sizes for the tiny GPT-2 of n_embd 32 (two layers, two heads) written below. */
const SIZES = { d_llm: 32, d_ff: 16, d_model: 16, n_heads: 2, patch_len: 4, stride: 2, top_k: 3 };
const small = (overrides: Record<string, unknown> = {}) =>
  spec.configSchema.parse({ ...SIZES, llm, ...overrides });
const build = (d: ModelDims, overrides: Record<string, unknown> = {}, seed = 1) =>
  spec.build(small(overrides), d, seed);

beforeAll(async () => {
  await useCpu();
  root = mkdtempSync(path.join(tmpdir(), 'nf-timellm-'));
  llm = path.join(root, 'gpt2');
  writeTinyGpt2(llm);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("TimeLLM's prompt", () => {
  it("prints floats as Python's str does", () => {
    expect(pythonFloat(1)).toBe('1.0');
    expect(pythonFloat(-0.5)).toBe('-0.5');
    expect(pythonFloat(0)).toBe('0.0');
    expect(pythonFloat(-0)).toBe('-0.0');
    expect(pythonFloat(1e-5)).toBe('1e-05');
    expect(pythonFloat(0.0001)).toBe('0.0001');
    expect(pythonFloat(-0.00012345)).toBe('-0.00012345');
    expect(pythonFloat(1e16)).toBe('1e+16');
    expect(pythonFloat(1.5e16)).toBe('1.5e+16');
    expect(pythonFloat(9999999999999998)).toBe('9999999999999998.0');
    expect(pythonFloat(123.456)).toBe('123.456');
    expect(pythonFloat(1e22)).toBe('1e+22');
    expect(pythonFloat(2.5e-7)).toBe('2.5e-07');
    // torch's .tolist() widens float32 to a double: repr shows the float32's exact value.
    expect(pythonFloat(Math.fround(0.1))).toBe('0.10000000149011612');
    expect(pythonFloat(NaN)).toBe('nan');
  });

  it("takes torch's lower median and the top autocorrelation lags, smaller lag first on ties", () => {
    expect(lowerMedian([3, 1, 2, 4])).toBe(2);
    expect(lowerMedian([5, 1, 3])).toBe(3);
    // Period 4 in 8 steps: r[0] = r[4] = 2, every other lag 0.
    expect(topLags([1, 0, 0, 0, 1, 0, 0, 0], 3)).toEqual([0, 4, 1]);
    // r[τ] = r[T − τ]: a ramp's lags pair up.
    expect(topLags([1, 2, 3, 4, 5], 5)).toEqual([0, 1, 4, 2, 3]);
  });

  it("reads as NeuralForecast's f-string, with None for a missing prefix", () => {
    const prompt = buildPrompt([1, 3, 2, 0.5], { prefix: null, h: 2, inputSize: 4, topK: 2 });
    expect(prompt).toBe(
      '<|start_prompt|>NoneTask description: forecast the next 2 steps given the previous 4 steps information; ' +
        'Input statistics: min value 0.5, max value 3.0, median value 1.0, the trend of input is downward, ' +
        'top 5 lags are : [0, 1]<|<end_prompt>|>',
    );
    expect(buildPrompt([0, 1], { prefix: 'Sales. ', h: 1, inputSize: 2, topK: 1 })).toMatch(
      /^<\|start_prompt\|>Sales\. Task.*the trend of input is upward/,
    );
  });
});

describe('TimeLLM network', () => {
  it('needs a local llm directory, and says how to get GPT-2', () => {
    const d = dims({ h: 2, inputSize: 8 });
    expect(() => spec.build(spec.configSchema.parse({}), d, 1)).toThrow(ConfigError);
    expect(() => spec.build(spec.configSchema.parse({}), d, 1)).toThrow(
      /TimeLLM: llm is required.*never fetches weights.*huggingface-cli download openai-community\/gpt2/,
    );
    expect(() => build(d, { llm: path.join(root, 'missing') })).toThrow(/llm '.*missing' is not a directory/);
  });

  it('rejects what NeuralForecast cannot run: non-point losses, mismatched d_llm, oversized patches and lags', () => {
    expect(() => build(dims({ h: 2, inputSize: 8, nOutputs: 3 }))).toThrow(/only supports point losses/);
    expect(() => build(dims({ h: 2, inputSize: 8 }), { d_llm: 768 })).toThrow(
      /d_llm \(768\) must equal the n_embd \(32\) of .*config.json/,
    );
    expect(() => build(dims({ h: 2, inputSize: 8 }), { d_ff: 64 })).toThrow(
      /d_ff \(64\) must be at most d_llm \(32\)/,
    );
    expect(() => build(dims({ h: 2, inputSize: 8 }), { patch_len: 16, stride: 4 })).toThrow(
      /patch_len \(16\) must be at most input_size \+ stride \(8 \+ 4\)/,
    );
    expect(() => build(dims({ h: 2, inputSize: 8 }), { top_k: 9 })).toThrow(
      /top_k \(9\) must be at most input_size \(8\)/,
    );
    expect(() => build(dims({ h: 2, inputSize: 8 }), { prompt_prefix: 'x '.repeat(600) })).not.toThrow();
  });

  it('trains only its own layers, in NeuralForecast order, and keeps the LLM as frozen tensors', () => {
    const before = tf.memory().numTensors;
    const net = build(dims({ h: 4, inputSize: 16 }));
    expect(net.variables.map((v) => logicalName(v))).toEqual([
      'timellm/patch_embedding/value_embedding/kernel',
      'timellm/mapping_layer/kernel',
      'timellm/mapping_layer/bias',
      ...['query', 'key', 'value', 'out'].flatMap((p) => [
        `timellm/reprogramming_layer/${p}_projection/kernel`,
        `timellm/reprogramming_layer/${p}_projection/bias`,
      ]),
      'timellm/output_projection/linear/kernel',
      'timellm/output_projection/linear/bias',
    ]);
    const V = net.frozen![0]!.shape[0]!; // wte [V, 32]
    // Conv(3·4 -> 16); Linear(V, 1024); query 16 -> 2·16, key/value 32 -> 2·16, out 32 -> 32; head (P = ⌊(16 + 2 − 4) / 2⌋ + 1 = 8) · 16 -> 4.
    expect(countParameters(net.variables)).toBe(
      3 * 4 * 16 +
        (V * 1024 + 1024) +
        (16 * 32 + 32) +
        2 * (32 * 32 + 32) +
        (32 * 32 + 32) +
        (8 * 16 * 4 + 4),
    );
    // GPT-2's wte, wpe, 12 tensors per block, ln_f, and the transposed word embeddings the mapping reads.
    expect(net.frozen).toHaveLength(2 + 2 * 12 + 2 + 1);
    expect(tf.memory().numTensors - before).toBe(net.variables.length + net.frozen!.length);
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('sends gradients to every trained layer through the frozen GPT-2', () => {
    const d = dims({ h: 4, inputSize: 16 });
    const net = build(d);
    const batch = randomBatch(d, 3);
    const { grads } = tf.variableGrads(() =>
      tf.mean(tf.square(net.forward(batch, { training: true, seed: 3 }))),
    );
    expect(Object.keys(grads).map((name) => name.replace(/#\d+\//, '/'))).toEqual(
      net.variables.map((v) => logicalName(v)),
    );
    for (const g of Object.values(grads))
      expect(tf.tidy(() => tf.max(tf.abs(g)).dataSync()[0])).toBeGreaterThan(0);
    tf.dispose(Object.values(grads));
    disposeBatch(batch);
    net.dispose();
  });
});

describe('TimeLLM end to end', () => {
  // The backend users train on; GPT-2 over ~100 prompt tokens per window is slow on the pure-JS one.
  beforeAll(async () => {
    await setBackend('wasm');
  });

  it('fits, predicts, saves only its trained layers and the llm path, and loads to the same forecast', async () => {
    const df = ['a', 'b'].flatMap((id, k) =>
      Array.from({ length: 32 }, (_, t) => ({
        unique_id: id,
        ds: new Date(Date.UTC(2024, 0, 1 + t)),
        y: 5 * k + Math.sin((2 * Math.PI * t) / 8) + 0.02 * t,
      })),
    );
    const config = {
      ...SIZES,
      llm,
      h: 4,
      input_size: 16,
      max_steps: 4,
      learning_rate: 1e-3,
      windows_batch_size: 8,
      prompt_prefix: 'Two daily sine series. ',
    };
    const nf = new NeuralForecast({ models: [{ id: 'timellm', config }], freq: 'D' });
    await nf.fit({ df });
    const network = nf.models[0]!.network!;
    const start = Array.from(network.variables[4]!.dataSync());
    const forecast = await nf.predict();
    expect(forecast).toHaveLength(8);
    expect(forecast.every((row) => Number.isFinite(row.TimeLLM))).toBe(true);
    const target = path.join(root, 'saved');
    await nf.save(target);
    // The weights file holds the trained layers' float32s and nothing of the LLM; the manifest names the llm directory.
    expect(readdirSync(path.join(target, 'weights'))).toEqual(['0.bin']);
    expect(statSync(path.join(target, 'weights', '0.bin')).size).toBe(4 * countParameters(network.variables));
    const manifest = JSON.parse(readFileSync(path.join(target, 'manifest.json'), 'utf8')) as {
      models: { config: Record<string, unknown> }[];
    };
    expect(manifest.models[0]!.config.llm).toBe(llm);
    const loaded = await NeuralForecast.load(target);
    expect(Array.from(loaded.models[0]!.network!.variables[4]!.dataSync())).toEqual(start);
    expect(await loaded.predict()).toEqual(forecast);
    nf.dispose();
    loaded.dispose();
  }, 240_000);
});
