/**
 * Local scalers (`local_scaler_type`): each series is scaled once, before fit, with statistics of
 * its observed values, and every output of the core is inverted with the same parameters — the
 * coreforecast scalers NeuralForecast uses (`standard`, `robust` = median/MAD, `robust-iqr` =
 * median/IQR, `minmax`, `boxcox` by maximum likelihood on [0, 2]).
 */
import { ConfigError } from '@nflab/contracts';
import { boxCox, boxCoxLambda, invBoxCox } from './boxcox.js';
import { sortAscending, sortedQuantile } from './quantile.js';
import type { LocalScalerParams, LocalScalerType } from './types.js';

/** Every local scaler id, as NeuralForecast lists them. */
export const LOCAL_SCALER_TYPES = [
  'standard',
  'robust',
  'robust-iqr',
  'minmax',
  'boxcox',
] as const satisfies readonly LocalScalerType[];

/**
 * Scales smaller than this are treated as 1, as coreforecast does with its data type's machine
 * epsilon (NeuralForecast hands it float32 data, hence float32's epsilon).
 */
export const LOCAL_SCALE_EPSILON = 1.1920928955078125e-7;

/** Observed values: finite and not masked out (mask 0 = padding or missing). */
function observed(values: ArrayLike<number>, mask?: ArrayLike<number>): number[] {
  if (mask !== undefined && mask.length !== values.length) {
    throw new ConfigError(
      `local scaler: mask length ${mask.length} differs from values length ${values.length}`,
    );
  }
  const out: number[] = [];
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i] as number;
    if (Number.isFinite(v) && (mask === undefined || (mask[i] as number) > 0)) out.push(v);
  }
  return out;
}

/** Offset and scale of the shift-and-scale scalers over observed values. */
function offsetScale(type: Exclude<LocalScalerType, 'boxcox'>, x: readonly number[]): [number, number] {
  if (type === 'standard') {
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length; // population, as coreforecast
    return [mean, Math.sqrt(variance)];
  }
  if (type === 'minmax') {
    let min = Infinity;
    let max = -Infinity;
    for (const v of x) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return [min, max - min];
  }
  const sorted = sortAscending(x);
  const median = sortedQuantile(sorted, 0.5);
  if (type === 'robust-iqr') return [median, sortedQuantile(sorted, 0.75) - sortedQuantile(sorted, 0.25)];
  const deviations = sortAscending(x.map((v) => Math.abs(v - median)));
  return [median, sortedQuantile(deviations, 0.5)];
}

/**
 * Fits a local scaler to one series. Masked and non-finite values are ignored; a series with no
 * observed value gets the identity (offset 0, scale 1, or lambda 1 for boxcox).
 * Box-Cox needs non-negative data (ConfigError otherwise, as coreforecast); its lambda is
 * estimated on the strictly positive values because log(0) makes the likelihood undefined.
 */
export function fitLocalScaler(
  type: LocalScalerType,
  values: ArrayLike<number>,
  mask?: ArrayLike<number>,
): LocalScalerParams {
  if (!(LOCAL_SCALER_TYPES as readonly string[]).includes(type)) {
    throw new ConfigError(
      `local_scaler_type '${String(type)}' is not supported; allowed: ${LOCAL_SCALER_TYPES.join(', ')}`,
    );
  }
  const x = observed(values, mask);
  if (type === 'boxcox') {
    const negative = x.find((v) => v < 0);
    if (negative !== undefined) {
      throw new ConfigError(`local_scaler_type 'boxcox' needs non-negative values; found ${negative}`);
    }
    return { type, values: { lambda: boxCoxLambda(x.filter((v) => v > 0)) } };
  }
  if (x.length === 0) return { type, values: { offset: 0, scale: 1 } };
  const [offset, rawScale] = offsetScale(type, x);
  const scale = Math.abs(rawScale) < LOCAL_SCALE_EPSILON ? 1 : rawScale;
  return { type, values: { offset, scale } };
}

/** Reads a fitted parameter, naming it when a saved params object lacks it. */
function param(params: LocalScalerParams, name: string): number {
  const value = params.values[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigError(
      `local scaler '${params.type}': parameter '${name}' must be a finite number, got ${String(value)}`,
    );
  }
  return value;
}

/** Scales a series with fitted parameters (NaN stays NaN). */
export function applyLocalScaler(params: LocalScalerParams, values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  if (params.type === 'boxcox') {
    const lambda = param(params, 'lambda');
    for (let i = 0; i < values.length; i += 1) out[i] = boxCox(values[i] as number, lambda);
    return out;
  }
  const offset = param(params, 'offset');
  const scale = param(params, 'scale');
  for (let i = 0; i < values.length; i += 1) out[i] = ((values[i] as number) - offset) / scale;
  return out;
}

/** Maps scaled values (forecasts, quantiles) back to the series' original space. */
export function invertLocalScaler(params: LocalScalerParams, values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  if (params.type === 'boxcox') {
    const lambda = param(params, 'lambda');
    for (let i = 0; i < values.length; i += 1) out[i] = invBoxCox(values[i] as number, lambda);
    return out;
  }
  const offset = param(params, 'offset');
  const scale = param(params, 'scale');
  for (let i = 0; i < values.length; i += 1) out[i] = (values[i] as number) * scale + offset;
  return out;
}
