import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@nflab/contracts';
import { loadGpt2Checkpoint, readGpt2Config, type Gpt2Checkpoint } from '../src/llm/gpt2-checkpoint.js';
import { causalMask, createGpt2, geluNew, layerNorm } from '../src/llm/gpt2.js';
import { requireLlmDir } from '../src/llm/local-llm.js';
import { halfToFloat, openSafetensors, parseSafetensors } from '../src/llm/safetensors.js';
import { createForwardContext } from '../src/nn/forward-context.js';
import { createParamStore } from '../src/nn/params.js';
import { encodeSafetensors, floatToHalf, randomGpt2Tensors, writeTinyGpt2 } from './llm-fixtures.js';
import { useCpu } from './models-fixtures.js';

const evalCtx = createForwardContext({ training: false }, createParamStore('ctx', 1).rng);
let root: string;
let tiny: string;

beforeAll(async () => {
  await useCpu();
  root = mkdtempSync(path.join(tmpdir(), 'nf-llm-gpt2-'));
  tiny = path.join(root, 'tiny');
  writeTinyGpt2(tiny);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of the tiny checkpoint in a fresh directory whose model.safetensors holds `tensors` instead. */
const withTensors = (name: string, edit: (t: ReturnType<typeof randomGpt2Tensors>) => void): string => {
  const dir = path.join(root, name);
  const config = writeTinyGpt2(dir);
  const tensors = randomGpt2Tensors(
    { nLayer: 2, nEmbd: 32, nPositions: 512, vocabSize: config.vocab_size as number },
    7,
  );
  edit(tensors);
  writeFileSync(path.join(dir, 'model.safetensors'), encodeSafetensors(tensors));
  return dir;
};

describe('safetensors reader', () => {
  it('reads F32, F16 and BF16 tensors to float32 and skips __metadata__', () => {
    const values = [0, 1, -2.5, 0.1, 65504, 6.1e-5, -3e-7];
    const bytes = encodeSafetensors(
      {
        a: { dtype: 'F32', shape: [7], values },
        b: { dtype: 'F16', shape: [7], values },
        c: { dtype: 'BF16', shape: [1, 7], values },
      },
      { format: 'pt' },
    );
    const file = parseSafetensors(bytes, 'x.safetensors');
    expect([...file.entries.keys()]).toEqual(['a', 'b', 'c']);
    expect(Array.from(file.read('a').values)).toEqual(values.map(Math.fround));
    // binary16: 0.1 -> 0.0999755859375, 6.1e-5 is subnormal-adjacent, -3e-7 a subnormal (5 × 2⁻²⁴).
    expect(Array.from(file.read('b').values)).toEqual([
      0, 1, -2.5, 0.0999755859375, 65504, 6.097555160522461e-5, -2.980232238769531e-7,
    ]);
    // bfloat16 keeps float32's top 16 bits (truncated here): 0.1 -> 0.099609375.
    expect(file.read('c').shape).toEqual([1, 7]);
    expect(file.read('c').values[3]).toBe(0.099609375);
  });

  it('decodes binary16 specials', () => {
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(floatToHalf(1)).toBe(0x3c00);
  });

  it('names the file and the defect of a malformed file', () => {
    const bad = (bytes: Uint8Array) => () => parseSafetensors(bytes, '/m/model.safetensors');
    expect(bad(new Uint8Array(4))).toThrow(/\/m\/model.safetensors.*fewer than the 8-byte header length/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 1000n, true);
    expect(bad(huge)).toThrow(/header length 1000 does not fit/);
    const notJson = new Uint8Array(8 + 3);
    new DataView(notJson.buffer).setBigUint64(0, 3n, true);
    notJson.set(new TextEncoder().encode('{x:'), 8);
    expect(bad(notJson)).toThrow(/header is not JSON/);
    const good = encodeSafetensors({ a: { shape: [2], values: [1, 2] } });
    expect(bad(good.subarray(0, good.length - 4))).toThrow(
      /tensor 'a' has data_offsets \[0, 8\] outside the 4 data bytes/,
    );
    const header = (h: unknown) => {
      const json = new TextEncoder().encode(JSON.stringify(h));
      const out = new Uint8Array(8 + json.length + 16);
      new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
      out.set(json, 8);
      return out;
    };
    expect(bad(header({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 16] } }))).toThrow(
      /tensor 'a' \(F32 \[3\]\) needs 12 bytes, its offsets span 16/,
    );
    expect(bad(header({ a: { dtype: 'F32', shape: 'x' } }))).toThrow(/needs \{ dtype: string, shape/);
    const f64 = parseSafetensors(
      header({ a: { dtype: 'F64', shape: [2], data_offsets: [0, 16] } }),
      'w.safetensors',
    );
    expect(() => f64.read('a')).toThrow(/w.safetensors: tensor 'a' has dtype F64; supported: F32, F16, BF16/);
    expect(() => f64.read('nope')).toThrow(/w.safetensors has no tensor 'nope'/);
    expect(() => openSafetensors(path.join(root, 'absent.safetensors'))).toThrow(
      /absent.safetensors does not exist/,
    );
  });
});

describe('GPT-2 checkpoint loader', () => {
  it('reads config.json with transformers defaults for the optional fields', () => {
    const config = readGpt2Config(tiny);
    expect(config).toMatchObject({
      nEmbd: 32,
      nLayer: 2,
      nHead: 2,
      nPositions: 512,
      nInner: 128,
      activation: 'gelu_new',
    });
    expect(config.attnPdrop).toBe(0.1);
  });

  it('requires a directory, naming the field and how to download the weights', () => {
    expect(() => requireLlmDir(undefined, 'llm', 'TimeLLM')).toThrow(ConfigError);
    expect(() => requireLlmDir(undefined, 'llm', 'TimeLLM')).toThrow(
      /TimeLLM: llm is required.*huggingface-cli download openai-community\/gpt2/,
    );
    expect(() => requireLlmDir(path.join(root, 'none'), 'llm', 'TimeLLM')).toThrow(
      /llm '.*none' is not a directory/,
    );
    expect(requireLlmDir(tiny, 'llm', 'TimeLLM')).toBe(tiny);
    expect(requireLlmDir('~', 'llm', 'TimeLLM')).toBe(homedir());
  });

  it('names config.json when it is missing, not JSON or lacks a field', () => {
    const dir = path.join(root, 'config-errors');
    writeTinyGpt2(dir);
    const file = path.join(dir, 'config.json');
    const original = readFileSync(file, 'utf8');
    unlinkSync(file);
    expect(() => readGpt2Config(dir)).toThrow(/config.json does not exist; expected a GPT-2 config.json/);
    writeFileSync(file, '{ nope');
    expect(() => readGpt2Config(dir)).toThrow(/config.json is not valid JSON/);
    const json = JSON.parse(original) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...json, n_embd: undefined }));
    expect(() => readGpt2Config(dir)).toThrow(/config.json: n_embd must be a positive integer/);
    writeFileSync(file, JSON.stringify({ ...json, n_head: 3 }));
    expect(() => readGpt2Config(dir)).toThrow(/n_embd \(32\) must be divisible by n_head \(3\)/);
    writeFileSync(file, JSON.stringify({ ...json, activation_function: 'mish' }));
    expect(() => readGpt2Config(dir)).toThrow(/activation_function 'mish' is not supported/);
    writeFileSync(file, JSON.stringify({ ...json, model_type: 'llama' }));
    expect(() => readGpt2Config(dir)).toThrow(/model_type is 'llama'/);
  });

  it('names model.safetensors and the tensor when one is missing or misshapen', () => {
    const dir = path.join(root, 'no-weights');
    writeTinyGpt2(dir);
    unlinkSync(path.join(dir, 'model.safetensors'));
    expect(() => loadGpt2Checkpoint(dir)).toThrow(/model.safetensors does not exist/);
    const missing = withTensors('missing', (t) => delete t['h.1.mlp.c_fc.bias']);
    expect(() => loadGpt2Checkpoint(missing)).toThrow(
      /model.safetensors has no tensor 'h.1.mlp.c_fc.bias'; expected \[128\]/,
    );
    const shaped = withTensors('shaped', (t) => {
      t['h.0.attn.c_attn.weight'] = { shape: [96, 32], values: new Float32Array(96 * 32) };
    });
    expect(() => loadGpt2Checkpoint(shaped)).toThrow(
      /tensor 'h.0.attn.c_attn.weight' has shape \[96, 32\]; config.json's sizes expect \[32, 96\]/,
    );
    const noWte = withTensors('no-wte', (t) => delete t['wte.weight']);
    expect(() => loadGpt2Checkpoint(noWte)).toThrow(
      /has no tensor 'wte.weight' \(nor 'transformer.wte.weight'\)/,
    );
  });

  it("loads 'transformer.'-prefixed and half-precision checkpoints to the same weights", () => {
    const f32 = loadGpt2Checkpoint(tiny);
    const prefixed = path.join(root, 'prefixed');
    writeTinyGpt2(prefixed, { prefix: 'transformer.' });
    expect(Array.from(loadGpt2Checkpoint(prefixed).blocks[1]!.fcBias.values)).toEqual(
      Array.from(f32.blocks[1]!.fcBias.values),
    );
    const bf16 = path.join(root, 'bf16');
    writeTinyGpt2(bf16, { dtype: 'BF16' });
    const wte = loadGpt2Checkpoint(bf16).wte.values;
    f32.wte.values.forEach((v, i) =>
      expect(Math.abs((wte[i] as number) - v)).toBeLessThanOrEqual(Math.abs(v) / 128),
    );
  });
});

/** GPT-2 in float64 loops, straight from the definitions, for one sequence [T, d]. */
function referenceForward(ck: Gpt2Checkpoint, x: number[][]): number[][] {
  const { nEmbd: d, nHead: H, layerNormEpsilon: eps } = ck.config;
  const E = d / H;
  const ln = (v: number[], [g, b]: Gpt2Checkpoint['lnF']) => {
    const mean = v.reduce((a, c) => a + c, 0) / d;
    const variance = v.reduce((a, c) => a + (c - mean) ** 2, 0) / d;
    return v.map((c, i) => ((c - mean) / Math.sqrt(variance + eps)) * g.values[i]! + b.values[i]!);
  };
  const dense = (v: number[], w: Gpt2Checkpoint['wte'], bias: Gpt2Checkpoint['wte']) => {
    const out = w.shape[1]!;
    return Array.from({ length: out }, (_, j) =>
      v.reduce((a, c, i) => a + c * w.values[i * out + j]!, bias.values[j]!),
    );
  };
  const gelu = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
  let h = x.map((row, t) => row.map((c, i) => c + ck.wpe.values[t * d + i]!));
  for (const b of ck.blocks) {
    const qkv = h.map((row) => dense(ln(row, b.ln1), b.attnKernel, b.attnBias));
    const attended = h.map((_, t) => {
      const out = new Array<number>(d).fill(0);
      for (let head = 0; head < H; head += 1) {
        const q = qkv[t]!.slice(head * E, head * E + E);
        const scores = qkv
          .slice(0, t + 1)
          .map(
            (r) =>
              r.slice(d + head * E, d + head * E + E).reduce((a, c, e) => a + c * q[e]!, 0) / Math.sqrt(E),
          );
        const max = Math.max(...scores);
        const w = scores.map((s) => Math.exp(s - max));
        const total = w.reduce((a, c) => a + c, 0);
        for (let s = 0; s <= t; s += 1) {
          for (let e = 0; e < E; e += 1)
            out[head * E + e]! += (w[s]! / total) * qkv[s]![2 * d + head * E + e]!;
        }
      }
      return dense(out, b.attnProjKernel, b.attnProjBias);
    });
    h = h.map((row, t) => row.map((c, i) => c + attended[t]![i]!));
    h = h.map((row) => {
      const m = dense(dense(ln(row, b.ln2), b.fcKernel, b.fcBias).map(gelu), b.mlpProjKernel, b.mlpProjBias);
      return row.map((c, i) => c + m[i]!);
    });
  }
  return h.map((row) => ln(row, ck.lnF));
}

describe('GPT-2 forward', () => {
  it('computes gelu_new, the layer norm and the causal mask by their formulas', () => {
    const g = geluNew(tf.tensor1d([-2, -0.5, 0, 1, 3])).dataSync();
    const expected = [-0.04540230591222494, -0.15428599017485606, 0, 0.8411919906082768, 2.996362607918227];
    expected.forEach((v, i) => expect(g[i]).toBeCloseTo(v, 6));
    const normed = layerNorm(
      tf.tensor2d([[1, 2, 3, 4]]),
      tf.tensor1d([1, 2, 1, 1]),
      tf.tensor1d([0, 0, 1, 0]),
      1e-5,
    ).dataSync();
    const s = Math.sqrt(1.25 + 1e-5);
    [-1.5 / s, (2 * -0.5) / s, 0.5 / s + 1, 1.5 / s].forEach((v, i) => expect(normed[i]).toBeCloseTo(v, 6));
    expect(Array.from(causalMask(3).dataSync())).toEqual([0, -1e9, -1e9, 0, 0, -1e9, 0, 0, 0]);
  });

  it('matches a float64 loop implementation of GPT-2 on the tiny checkpoint', () => {
    const ck = loadGpt2Checkpoint(tiny);
    const gpt2 = createGpt2(ck);
    const x = Array.from({ length: 5 }, (_, t) => Array.from({ length: 32 }, (_, i) => Math.sin(t * 7 + i)));
    const out = gpt2.forward(tf.tensor3d([x]), evalCtx).arraySync()[0]!;
    const expected = referenceForward(ck, x);
    expected.forEach((row, t) => row.forEach((v, i) => expect(Math.abs(out[t]![i]! - v)).toBeLessThan(1e-4)));
    gpt2.dispose();
  });

  it('is causal: positions before t ignore inputs from t on', () => {
    const gpt2 = createGpt2(loadGpt2Checkpoint(tiny));
    const a = tf.randomNormal([2, 6, 32], 0, 1, 'float32', 3) as tf.Tensor3D;
    const changed = tf.concat(
      [tf.slice(a, [0, 0, 0], [2, 3, 32]), tf.randomNormal([2, 3, 32], 0, 1, 'float32', 4)],
      1,
    ) as tf.Tensor3D;
    const [ya, yb] = [gpt2.forward(a, evalCtx), gpt2.forward(changed, evalCtx)];
    const early = (y: tf.Tensor3D) => Array.from(tf.slice(y, [0, 0, 0], [2, 3, 32]).dataSync());
    expect(early(yb)).toEqual(early(ya));
    const late = (y: tf.Tensor3D) => Array.from(tf.slice(y, [0, 3, 0], [2, 1, 32]).dataSync());
    expect(late(yb)).not.toEqual(late(ya));
    expect(() => gpt2.forward(tf.zeros([1, 513, 32]) as tf.Tensor3D, evalCtx)).toThrow(
      /513 input positions exceed the checkpoint's n_positions \(512\)/,
    );
    gpt2.dispose();
    expect(gpt2.tensors).toHaveLength(0);
  });

  it('lets gradients through to its inputs and holds no variables', () => {
    const before = tf.memory().numTensors;
    const gpt2 = createGpt2(loadGpt2Checkpoint(tiny));
    expect(gpt2.tensors).toHaveLength(2 + 2 * 12 + 2);
    expect(tf.memory().numTensors - before).toBe(gpt2.tensors.length);
    const x = tf.randomNormal([1, 4, 32], 0, 1, 'float32', 5) as tf.Tensor3D;
    const grad = tf.grad((input: tf.Tensor) => tf.sum(gpt2.forward(input as tf.Tensor3D, evalCtx)))(x);
    expect(tf.tidy(() => tf.max(tf.abs(grad)).dataSync()[0])).toBeGreaterThan(0);
    tf.dispose([x, grad]);
    gpt2.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
