/**
 * Integrated gradients: attribution_i = (x_i − b_i) ∫₀¹ ∂f/∂x_i(b + α(x − b)) dα, the path
 * integral of the gradient from a baseline b to the input x, approximated by a quadrature rule.
 * The attributions sum to f(x) − f(b) (completeness) up to the quadrature error.
 * @see Sundararajan, Taly & Yan (2017), Axiomatic Attribution for Deep Networks, ICML.
 */
import { ConfigError } from '@nflab/contracts';
import { requireFiniteNumbers, requirePositiveInteger } from '../checks.js';

/** Caps on one call: each step is one gradient evaluation of the model. */
export const INTEGRATED_GRADIENTS_LIMITS = {
  /** Most steps (gradient evaluations). */
  maxSteps: 10_000,
} as const;

/** The quadrature over α ∈ [0, 1], named as Captum names them; `steps` = n gradient evaluations. */
export const INTEGRATED_GRADIENTS_RULES = [
  'riemann_trapezoid',
  'riemann_left',
  'riemann_right',
  'riemann_middle',
] as const;
/** One of {@link INTEGRATED_GRADIENTS_RULES}. */
export type IntegratedGradientsRule = (typeof INTEGRATED_GRADIENTS_RULES)[number];

/** The model's gradient of its (scalar) output with respect to the input, at `input`. */
export type GradientFn = (input: Float64Array) => ArrayLike<number> | Promise<ArrayLike<number>>;

/** Options of {@link integratedGradients}. */
export interface IntegratedGradientsOptions {
  /** The reference input b (e.g. the background mean). @default all zeros */
  readonly baseline?: ArrayLike<number>;
  /** Gradient evaluations n. @default 50 (Captum's n_steps) */
  readonly steps?: number;
  /** Quadrature rule. @default 'riemann_trapezoid' */
  readonly rule?: IntegratedGradientsRule;
  /** The model's output; when given, f(x) and f(b) are computed and the completeness gap reported. */
  readonly f?: (input: Float64Array) => number | Promise<number>;
}

/** Result of {@link integratedGradients}. */
export interface IntegratedGradientsResult {
  /** One attribution per input element. */
  readonly attributions: number[];
  readonly baseline: number[];
  readonly steps: number;
  readonly rule: IntegratedGradientsRule;
  /** f(x), f(b) and Σ attributions − (f(x) − f(b)); null when no `f` was given. */
  readonly fx: number | null;
  readonly fBaseline: number | null;
  readonly completenessGap: number | null;
}

/**
 * Points α_k and weights w_k with Σ w_k g(α_k) ≈ ∫₀¹ g. Trapezoid: α_k = k/(n−1), w = 1/(n−1)
 * with the two ends halved (exact for g linear in α). Left, right, middle: n intervals of 1/n,
 * α at the left end, right end or middle of each, as Captum.
 */
export function integratedGradientsQuadrature(
  rule: IntegratedGradientsRule,
  n: number,
): { alphas: number[]; weights: number[] } {
  const index = Array.from({ length: n }, (_, k) => k);
  switch (rule) {
    case 'riemann_trapezoid':
      return {
        alphas: index.map((k) => k / (n - 1)),
        weights: index.map((k) => (k === 0 || k === n - 1 ? 0.5 : 1) / (n - 1)),
      };
    case 'riemann_left':
      return { alphas: index.map((k) => k / n), weights: index.map(() => 1 / n) };
    case 'riemann_right':
      return { alphas: index.map((k) => (k + 1) / n), weights: index.map(() => 1 / n) };
    case 'riemann_middle':
      return { alphas: index.map((k) => (k + 0.5) / n), weights: index.map(() => 1 / n) };
  }
}

function readOptions(input: ArrayLike<number>, options: IntegratedGradientsOptions) {
  const x = Float64Array.from(input);
  if (x.length === 0) throw new ConfigError('input needs at least 1 value');
  requireFiniteNumbers(Array.from(x), 'input');
  const baseline =
    options.baseline === undefined ? new Float64Array(x.length) : Float64Array.from(options.baseline);
  if (baseline.length !== x.length)
    throw new ConfigError(`baseline has ${baseline.length} values; input has ${x.length}`);
  requireFiniteNumbers(Array.from(baseline), 'baseline');
  const rule = options.rule ?? 'riemann_trapezoid';
  if (!(INTEGRATED_GRADIENTS_RULES as readonly string[]).includes(rule)) {
    throw new ConfigError(
      `rule must be one of ${INTEGRATED_GRADIENTS_RULES.join(', ')}, got '${String(rule)}'`,
    );
  }
  const steps = requirePositiveInteger(options.steps ?? 50, 'steps');
  if (rule === 'riemann_trapezoid' && steps < 2)
    throw new ConfigError(`steps must be >= 2 for the trapezoid rule, got ${steps}`);
  if (steps > INTEGRATED_GRADIENTS_LIMITS.maxSteps) {
    throw new ConfigError(
      `steps = ${steps}; the limit is INTEGRATED_GRADIENTS_LIMITS.maxSteps = ${INTEGRATED_GRADIENTS_LIMITS.maxSteps}`,
    );
  }
  return { x, baseline, rule, steps };
}

/**
 * Integrated gradients of a scalar model output at `input` (for a forecast with h steps, let
 * `gradient` differentiate the step of interest). Gradients are evaluated one at a time along
 * the straight path from the baseline; throws a ConfigError for bad input or gradients.
 */
export async function integratedGradients(
  gradient: GradientFn,
  input: ArrayLike<number>,
  options: IntegratedGradientsOptions = {},
): Promise<IntegratedGradientsResult> {
  const { x, baseline, rule, steps } = readOptions(input, options);
  const { alphas, weights } = integratedGradientsQuadrature(rule, steps);
  const delta = x.map((value, i) => value - (baseline[i] as number));
  const averaged = new Float64Array(x.length);
  for (const [k, alpha] of alphas.entries()) {
    const point = baseline.map((value, i) => value + alpha * (delta[i] as number));
    const g = await gradient(point);
    if (g.length !== x.length)
      throw new ConfigError(`gradient returned ${g.length} values; input has ${x.length}`);
    const weight = weights[k] as number;
    for (let i = 0; i < x.length; i++) {
      const value = g[i] as number;
      if (!Number.isFinite(value))
        throw new ConfigError(`gradient returned ${String(value)} at α = ${alpha}, element ${i}`);
      averaged[i] = (averaged[i] as number) + weight * value;
    }
  }
  const attributions = Array.from(averaged, (value, i) => value * (delta[i] as number));
  let fx: number | null = null;
  let fBaseline: number | null = null;
  let completenessGap: number | null = null;
  if (options.f !== undefined) {
    fx = await options.f(Float64Array.from(x));
    fBaseline = await options.f(Float64Array.from(baseline));
    completenessGap = attributions.reduce((sum, a) => sum + a, 0) - (fx - fBaseline);
  }
  return { attributions, baseline: Array.from(baseline), steps, rule, fx, fBaseline, completenessGap };
}
