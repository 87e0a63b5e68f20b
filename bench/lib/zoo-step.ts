/**
 * A zoo model set up to fit at the zoo yardstick (AirPassengersPanel, h 12, input_size 24, the
 * model's defaults, seed 1) on the wasm backend with the native matmul — what the step profile,
 * trace and A/B scripts fit.
 */
import {
  enableNativeMatmul,
  MODELS,
  setBackend,
  type ModelSpec,
  type NativeMatmulStatus,
} from '../../packages/engine/src/index.js';
import { airPassengersPanel, type BenchPanel } from './datasets.js';

/** Options of {@link zooStep}. */
export interface ZooStepOptions {
  /** OpenBLAS threads; absent: enableNativeMatmul's own default (OPENBLAS_NUM_THREADS, else every core). */
  readonly blasThreads?: number;
  /** Config keys over the yardstick's (`max_steps` stays the fit's). @default {} */
  readonly overrides?: Record<string, unknown>;
}

/** A zoo model ready to fit at the yardstick. */
export interface ZooStep {
  readonly spec: ModelSpec;
  readonly panel: BenchPanel;
  /** What enableNativeMatmul said: the library in use, or why there is none. */
  readonly native: NativeMatmulStatus;
  /** The model's config for a fit of `maxSteps` steps (with the panel's n_series for a multivariate model). */
  readonly config: (maxSteps: number) => Record<string, unknown>;
}

/** Model `id` at the yardstick: sets the wasm backend and the native matmul, loads the panel. */
export async function zooStep(id: string, options: ZooStepOptions = {}): Promise<ZooStep> {
  const spec = (MODELS as Record<string, ModelSpec>)[id];
  if (!spec) throw new Error(`unknown model ${id}`);
  await setBackend('wasm');
  const { blasThreads, overrides } = options;
  const native = enableNativeMatmul(blasThreads === undefined ? {} : { threads: blasThreads });
  const panel = airPassengersPanel();
  const nSeries = spec.kind === 'multivariate' ? { n_series: panel.series.length } : {};
  const config = (maxSteps: number): Record<string, unknown> => ({
    h: 12,
    input_size: 24,
    random_seed: 1,
    ...nSeries,
    ...overrides,
    max_steps: maxSteps,
  });
  return { spec, panel, native, config };
}
