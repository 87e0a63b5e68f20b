/**
 * Compute backend selection. WebAssembly is the default because it is always available and
 * deterministic; `tensorflow` (libtensorflow through `@tensorflow/tfjs-node`) is used only when the
 * user installed that package — it is never a dependency of the lab.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import { enableNativeMatmul } from '../native/enable.js';
import { setSharedSavedTensors } from './shared-saved-tensors.js';
import { shareWasmStorage } from './wasm-shared-storage.js';

/** Backend names the lab accepts, in the vocabulary of the run specs. */
export const BACKENDS = ['wasm', 'cpu', 'tensorflow'] as const;

/** A compute backend id. */
export type BackendName = (typeof BACKENDS)[number];

const require = createRequire(import.meta.url);

/** TensorFlow.js registers tfjs-node's backend under this name. */
const TFJS_NODE_NAME = 'tensorflow';

let wasmPathsSet = false;

/** The tfjs-backend-wasm dist folder as a file URL ending in '/', found from this module's location so src and dist both work. */
const wasmDistUrl = (): string => {
  const entry = require.resolve('@tensorflow/tfjs-backend-wasm');
  // The package's main entry lives in dist/ (dist/tf-backend-wasm.node.js), beside the .wasm files.
  const dist = path.dirname(entry);
  return `${pathToFileURL(dist).href}/`;
};

const loadWasm = async (): Promise<void> => {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (!wasmPathsSet) {
    // In Node the wasm backend reads its binaries with fs, so a plain path prefix is what it expects.
    wasm.setWasmPaths(new URL(wasmDistUrl()).pathname.replace(/\/?$/, '/'));
    wasmPathsSet = true;
  }
  shareWasmStorage();
  setSharedSavedTensors(true);
};

const loadCpu = async (): Promise<void> => {
  await import('@tensorflow/tfjs-backend-cpu');
  setSharedSavedTensors(true);
};

const loadTensorflow = async (): Promise<void> => {
  let resolved: string;
  try {
    resolved = require.resolve('@tensorflow/tfjs-node');
  } catch (cause) {
    throw new ConfigError(
      "backend 'tensorflow' needs the optional package @tensorflow/tfjs-node, which is not installed; install it (npm install @tensorflow/tfjs-node) or use backend 'wasm' or 'cpu'",
      { cause },
    );
  }
  await import(pathToFileURL(resolved).href);
};

const LOADERS: Record<BackendName, () => Promise<void>> = {
  wasm: loadWasm,
  cpu: loadCpu,
  tensorflow: loadTensorflow,
};

/** Makes `name` the active TensorFlow.js backend, loading it first; resolves once it is ready. */
export const setBackend = async (name: BackendName = 'wasm'): Promise<BackendName> => {
  if (!(BACKENDS as readonly string[]).includes(name)) {
    throw new ConfigError(`backend must be one of ${BACKENDS.join(', ')}; got '${String(name)}'`);
  }
  await LOADERS[name]();
  const tfName = name === 'tensorflow' ? TFJS_NODE_NAME : name;
  const ok = await tf.setBackend(tfName);
  if (!ok) {
    throw new ConfigError(`backend '${name}' failed to initialise on this machine; use 'wasm' or 'cpu'`);
  }
  await tf.ready();
  return name;
};

/** The backend that actually runs tensors now (recorded with every run). */
export const activeBackend = (): BackendName => {
  const current = tf.getBackend();
  if (current === 'wasm' || current === 'cpu' || current === TFJS_NODE_NAME) return current;
  throw new ConfigError(`active TensorFlow.js backend '${current}' is not one of ${BACKENDS.join(', ')}`);
};

/** Selects the default backend (wasm) unless one of the lab's backends is already active. */
export const ensureBackend = async (): Promise<BackendName> => {
  const current = tf.getBackend() as string | undefined;
  if (current === 'wasm' || current === 'cpu' || current === TFJS_NODE_NAME) return current;
  return setBackend('wasm');
};

let defaultBackend: Promise<BackendName> | null = null;

/**
 * What the engine's entry points (NeuralForecast's fit, predict, crossValidation, load; Auto models)
 * await first, so the engine works as a library without setup, as NeuralForecast does: a backend
 * the caller chose stays as it is; otherwise the default (wasm) comes up, with the native matmul
 * path where OpenBLAS loads (`NFLAB_NATIVE_BLAS=0` keeps it off). Concurrent first calls share one
 * start-up.
 */
export const ensureDefaultBackend = async (): Promise<BackendName> => {
  const current = tf.getBackend() as string | undefined;
  if (current === 'wasm' || current === 'cpu' || current === TFJS_NODE_NAME) return current;
  defaultBackend ??= setBackend('wasm').then(
    (name) => {
      enableNativeMatmul();
      return name;
    },
    (error: unknown) => {
      defaultBackend = null;
      throw error;
    },
  );
  return defaultBackend;
};
