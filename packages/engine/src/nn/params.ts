/**
 * Creation and naming of a network's trainable variables. Every variable gets a logical name
 * `<model>/<block>/<layer>/<kind>` in creation order, so save/load can map weights by name and order.
 */
import * as tf from '@tensorflow/tfjs-core';
import { registerGradients } from '../backend/gradients.js';
import { Rng } from '@nflab/contracts';

// tfjs-core ships without gradients registered; every network built here is meant to be trained,
// so registering them where variables are made means no caller can forget it.
await registerGradients();

/**
 * TensorFlow.js keeps one global registry of variable names and refuses duplicates, yet two
 * networks of the same model may live side by side (a NeuralForecast with two NHITS, Auto trials).
 * Each store therefore registers its variables under `<model>#<instance>/…`; {@link logicalName}
 * strips the instance tag back off.
 */
let instanceCounter = 0;

/** Collects the variables of one network, drawing initial values from one seeded stream. */
export interface ParamStore {
  /** Seeded stream used for initial values, in creation order. */
  readonly rng: Rng;
  /** Every variable created so far, in creation order. */
  readonly variables: tf.Variable[];
  /** Creates a variable `<model>/<path>` of `shape` with values U(low, high) from the store's stream. */
  uniform(path: string, shape: readonly number[], bound: { low: number; high: number }): tf.Variable;
  /** Creates a variable `<model>/<path>` of `shape` filled with `value`. */
  constant(path: string, shape: readonly number[], value: number): tf.Variable;
  /** Frees every variable of the store. */
  dispose(): void;
}

/** Creates the variable store of one network of `modelId`, seeded by `seed`. */
export function createParamStore(modelId: string, seed: number): ParamStore {
  instanceCounter += 1;
  const prefix = `${modelId}#${instanceCounter}`;
  const rng = new Rng(seed);
  const variables: tf.Variable[] = [];
  const register = (path: string, shape: readonly number[], values: Float32Array): tf.Variable => {
    const initial = tf.tensor(values, [...shape], 'float32');
    const variable = tf.variable(initial, true, `${prefix}/${path}`);
    initial.dispose();
    variables.push(variable);
    return variable;
  };
  return {
    rng,
    variables,
    uniform(path, shape, { low, high }) {
      const values = new Float32Array(sizeOf(shape));
      for (let i = 0; i < values.length; i += 1) values[i] = rng.uniform(low, high);
      return register(path, shape, values);
    },
    constant(path, shape, value) {
      return register(path, shape, new Float32Array(sizeOf(shape)).fill(value));
    },
    dispose() {
      for (const variable of variables) variable.dispose();
      variables.length = 0;
    },
  };
}

/** The stable name of a network variable (`nhits/stack_0/block_0/mlp_1/kernel`), without the instance tag. */
export function logicalName(variable: tf.Variable): string {
  return variable.name.replace(/#\d+\//, '/');
}

/**
 * Total number of trainable scalars, as PyTorch's `sum(p.numel() for p in model.parameters())`:
 * non-trainable variables (BatchNorm's running statistics, PyTorch's buffers) are saved but not counted.
 */
export function countParameters(variables: readonly tf.Variable[]): number {
  return variables.reduce((total, variable) => total + (variable.trainable ? variable.size : 0), 0);
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
