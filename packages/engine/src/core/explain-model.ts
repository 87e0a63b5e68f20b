/**
 * The explainer {@link explainWindows} returns: forecasts and gradients of one fitted model over
 * evaluation windows whose exogenous inputs the caller chooses, mapped back to the original space
 * (the local scaler's inverse, and its derivative for gradients).
 */
import { ConfigError } from '@nflab/contracts';
import type { ExogKind } from '@nflab/contracts';
import {
  exogForecastGradients,
  exogForecastValues,
  exogRowLength,
  type ExogForwardModel,
} from '../training/exog-forward.js';
import { chunk } from '../windows/sampler.js';
import type { CoreModel } from './fitted-model.js';
import { invertTarget, type LocalScalerState } from './local-scaling.js';

/** One exogenous column of the model and the positions of its values in an input row. */
export interface ExplainFeature {
  readonly name: string;
  readonly kind: ExogKind;
  /** Indices into an input row: futr (L+H) steps, hist L steps, stat one value. */
  readonly indices: readonly number[];
}

/** One evaluation window. */
export interface ExplainedWindow {
  readonly uniqueId: string;
  /** Last ds of the input part, as cross-validation rows name it. */
  readonly cutoff: string | number;
  /** The h actual values after the cutoff (null where not observed), original space. */
  readonly actual: readonly (number | null)[];
}

/** A forecast to make: window `window` (an index into `windows`) with its exogenous row replaced by `input`. */
export interface ExplainRequest {
  readonly window: number;
  readonly input: ArrayLike<number>;
}

/** Value and gradient of the mean point forecast over the horizon, original space. */
export interface ExplainGradient {
  readonly value: number;
  /** ∂ value / ∂ input, one per input element. */
  readonly gradient: Float64Array;
}

/** Forecasts and gradients of a fitted model over evaluation windows with chosen exogenous inputs. */
export interface WindowExplainer {
  /** Column name of the model explained. */
  readonly model: string;
  readonly h: number;
  /** Input steps per window (L; input_size + 1 for recurrent networks). */
  readonly inputSize: number;
  /** The model's exogenous columns, futr then hist then stat, each in its list's order. */
  readonly features: readonly ExplainFeature[];
  readonly windows: readonly ExplainedWindow[];
  /**
   * inputs[w]: window w's exogenous values as the network reads them (after the local and the
   * window scaler): (L+H)·F futr values (step-major), then L·X hist values, then S stat values.
   */
  readonly inputs: readonly Float64Array[];
  /** The h point forecasts (original space) of each request. */
  forecast(requests: readonly ExplainRequest[]): Promise<Float64Array[]>;
  /** The mean over the horizon of each request's point forecast and its gradient w.r.t. the input. */
  gradient(requests: readonly ExplainRequest[]): Promise<ExplainGradient[]>;
}

/** Rows per forward call: bounds the memory of a large request. */
const BATCH_ROWS = 4096;

/** Central-difference derivative of the local inverse at each value (exact to rounding for affine scalers). */
const inverseSlope = (scalers: LocalScalerState | null, id: string, z: ArrayLike<number>): Float64Array => {
  if (!scalers?.[id]?.y) return new Float64Array(z.length).fill(1);
  const step = Array.from(z, (v) => 1e-3 * Math.max(1, Math.abs(v)));
  const up = invertTarget(
    scalers,
    id,
    Array.from(z, (v, j) => v + (step[j] as number)),
  );
  const down = invertTarget(
    scalers,
    id,
    Array.from(z, (v, j) => v - (step[j] as number)),
  );
  return Float64Array.from(
    z,
    (_, j) => ((up[j] as number) - (down[j] as number)) / (2 * (step[j] as number)),
  );
};

/** Options of {@link createExplainer}. */
export interface CreateExplainerOptions {
  readonly model: CoreModel;
  readonly forward: ExogForwardModel;
  readonly windows: readonly ExplainedWindow[];
  readonly inputs: readonly Float64Array[];
  readonly scalers: LocalScalerState | null;
}

/** The model's exogenous columns with their positions in an input row. */
const featuresOf = (model: CoreModel, forward: ExogForwardModel): ExplainFeature[] => {
  const { inputSize: L, h: H } = forward.shape;
  const { f, x } = forward.sizes;
  const steps = (n: number): number[] => Array.from({ length: n }, (_, t) => t);
  return [
    ...model.exog.futr.map((name, c) => ({
      name,
      kind: 'futr' as const,
      indices: steps(L + H).map((t) => t * f + c),
    })),
    ...model.exog.hist.map((name, c) => ({
      name,
      kind: 'hist' as const,
      indices: steps(L).map((t) => (L + H) * f + t * x + c),
    })),
    ...model.exog.stat.map((name, c) => ({
      name,
      kind: 'stat' as const,
      indices: [(L + H) * f + L * x + c],
    })),
  ];
};

/** Builds the explainer over prepared windows; see {@link WindowExplainer}. */
export const createExplainer = (options: CreateExplainerOptions): WindowExplainer => {
  const { forward, windows, scalers } = options;
  const h = forward.shape.h;
  const p = exogRowLength(forward.shape, forward.sizes);
  const check = (requests: readonly ExplainRequest[]): void => {
    requests.forEach(({ window, input }, i) => {
      if (!Number.isInteger(window) || window < 0 || window >= windows.length)
        throw new ConfigError(`request ${i}: window ${window} is not one of the ${windows.length} windows`);
      if (input.length !== p)
        throw new ConfigError(
          `request ${i}: the input has ${input.length} values; a window's exogenous row has ${p}`,
        );
    });
  };
  const idOf = (window: number): string => (windows[window] as ExplainedWindow).uniqueId;
  /** Window-space forecasts [B·H] of a batch. */
  const rawForecast = (part: readonly ExplainRequest[]): Promise<Float32Array> =>
    exogForecastValues(
      forward,
      part.map((r) => r.window),
      part.map((r) => r.input),
    );
  return {
    model: options.model.name,
    h,
    inputSize: forward.shape.inputSize,
    features: featuresOf(options.model, forward),
    windows,
    inputs: options.inputs,
    async forecast(requests) {
      check(requests);
      const out: Float64Array[] = [];
      for (const part of chunk(requests, BATCH_ROWS)) {
        const z = await rawForecast(part);
        part.forEach((r, i) =>
          out.push(Float64Array.from(invertTarget(scalers, idOf(r.window), z.subarray(i * h, (i + 1) * h)))),
        );
      }
      return out;
    },
    async gradient(requests) {
      check(requests);
      const out: ExplainGradient[] = [];
      for (const part of chunk(requests, BATCH_ROWS)) {
        const z = await rawForecast(part);
        // Chain rule through the local inverse g: ∂ mean_j g(z_j) / ∂x = Σ_j g'(z_j)/h · ∂z_j/∂x.
        const weights = new Float32Array(part.length * h);
        const values = part.map((r, i) => {
          const zi = z.subarray(i * h, (i + 1) * h);
          const slope = inverseSlope(scalers, idOf(r.window), zi);
          slope.forEach((s, j) => (weights[i * h + j] = s / h));
          const original = invertTarget(scalers, idOf(r.window), zi);
          return Array.from(original).reduce((sum, v) => sum + v, 0) / h;
        });
        const g = await exogForecastGradients(
          forward,
          part.map((r) => r.window),
          part.map((r) => r.input),
          weights,
        );
        part.forEach((_, i) =>
          out.push({
            value: values[i] as number,
            gradient: Float64Array.from(g.subarray(i * p, (i + 1) * p)),
          }),
        );
      }
      return out;
    },
  };
};
