/**
 * What computes: the engine's version, TensorFlow.js's, the active backend and whether matrix
 * products run on OpenBLAS. Runs record it so a result can be traced to the code and kernels
 * that produced it (the same inputs on another backend can differ in the last bits).
 */
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { nativeMatmulStatus, type NativeMatmulStatus } from '../native/enable.js';
import { activeBackend, type BackendName } from './backend.js';

/** The engine's compute runtime in this thread. */
export interface EngineRuntime {
  /** `@nflab/engine` package version. */
  readonly engineVersion: string;
  readonly tfjsVersion: string;
  readonly backend: BackendName;
  /** Null when the native path was never asked for in this thread. */
  readonly nativeMatmul: NativeMatmulStatus | null;
}

// src/backend and dist/backend are both two levels below the package root.
const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

/** The runtime of this thread (call after a backend is set). */
export const engineRuntime = (): EngineRuntime => ({
  engineVersion: version,
  tfjsVersion: tf.version_core,
  backend: activeBackend(),
  nativeMatmul: nativeMatmulStatus(),
});

/** One line for a run's `engine_version`, e.g. `@nflab/engine 0.1.0; tfjs 4.22.0 wasm; openblas SkylakeX`. */
export const describeRuntime = (runtime: EngineRuntime): string =>
  [
    `@nflab/engine ${runtime.engineVersion}`,
    `tfjs ${runtime.tfjsVersion} ${runtime.backend}`,
    runtime.nativeMatmul?.enabled ? `openblas ${runtime.nativeMatmul.coreType ?? ''}`.trim() : 'no native blas',
  ].join('; ');
