/**
 * KernelSHAP over a black-box model, faithful to shap 0.51's `KernelExplainer`: E[f] is the mean
 * prediction over a background matrix; a coalition S of players is scored by the mean prediction
 * over background rows with the players in S set to the query's values; Shapley values come from
 * the kernel-weighted regression of those scores (see coalitions.ts and kernel-shap-solve.ts).
 * @see Lundberg & Lee (2017), A Unified Approach to Interpreting Model Predictions, NeurIPS.
 */
import { ConfigError, Rng } from '@nflab/contracts';
import { maxCoalitions, planCoalitions } from './coalitions.js';
import type { CoalitionPlan } from './coalitions.js';
import { solveKernelShap } from './kernel-shap-solve.js';
import { readOptions } from './kernel-shap-options.js';
import type { KernelShapOptions, ReadOptions } from './kernel-shap-options.js';

/** A model with one output: one prediction per input row, in row order. */
export type KernelShapPredict = (rows: Float64Array[]) => ArrayLike<number> | Promise<ArrayLike<number>>;

/** A model with D outputs (e.g. h forecast steps): one length-D vector per input row. */
export type KernelShapPredictMulti = (
  rows: Float64Array[],
) => readonly ArrayLike<number>[] | Promise<readonly ArrayLike<number>[]>;

/** What every KernelSHAP result reports besides the values. */
interface KernelShapRun {
  /** Players (features, or groups when `groups` is given) whose query value differs from some background row. */
  readonly varying: number[];
  /** Coalitions whose mean prediction was computed. */
  readonly coalitions: number;
  /** Of those, how many came from fully enumerated subset sizes (the rest were sampled). */
  readonly enumeratedCoalitions: number;
  /** True when every coalition was evaluated, so the values are the exact Shapley values. */
  readonly exact: boolean;
  /** Rows passed to `predict` in all (background, query and coalitions). */
  readonly predictRows: number;
}

/** KernelSHAP explanation of a one-output model at one query row. */
export interface KernelShapResult extends KernelShapRun {
  /** E[f]: mean prediction over the background. */
  readonly expectedValue: number;
  /** f(query). */
  readonly fx: number;
  /** One value per player; they sum to fx − expectedValue. */
  readonly shapValues: number[];
  /** Players kept by the L1 selection (all varying players when `l1Reg` is false), in LARS's order. */
  readonly selected: number[];
}

/** KernelSHAP explanation of a D-output model: each output explained on its own. */
export interface KernelShapMultiResult extends KernelShapRun {
  /** E[f_d] per output. */
  readonly expectedValue: number[];
  /** f_d(query) per output. */
  readonly fx: number[];
  /** shapValues[d][j]: player j's value for output d; each row sums to fx[d] − expectedValue[d]. */
  readonly shapValues: number[][];
  /** selected[d]: players kept by the L1 selection for output d. */
  readonly selected: number[][];
}

/** Runs the model on rows in batches and returns one output vector per row. */
type Evaluate = (rows: Float64Array[]) => Promise<Float64Array[]>;

function scalarEvaluator(predict: KernelShapPredict): Evaluate {
  return async (rows) => {
    const out = await predict(rows);
    if (out.length !== rows.length) {
      throw new ConfigError(
        `predict must return one number per row: got ${out.length} for ${rows.length} rows`,
      );
    }
    return Array.from({ length: rows.length }, (_, i) => Float64Array.of(out[i] as number));
  };
}

function multiEvaluator(predict: KernelShapPredictMulti): Evaluate {
  return async (rows) => {
    const out = await predict(rows);
    if (out.length !== rows.length) {
      throw new ConfigError(
        `predict must return one output vector per row: got ${out.length} for ${rows.length} rows`,
      );
    }
    return out.map((vector) => Float64Array.from(vector));
  };
}

/** Predicts `count` rows built by `rowAt` in batches of `batchSize`, handing each output to `use`. */
async function predictInBatches(
  evaluate: Evaluate,
  count: number,
  batchSize: number,
  outputs: number | null,
  rowAt: (index: number) => Float64Array,
  use: (index: number, output: Float64Array) => void,
): Promise<void> {
  for (let start = 0; start < count; start += batchSize) {
    const end = Math.min(count, start + batchSize);
    const batch = Array.from({ length: end - start }, (_, i) => rowAt(start + i));
    const out = await evaluate(batch);
    out.forEach((vector, i) => {
      const width = outputs ?? (out[0] as Float64Array).length;
      if (vector.length !== width || width === 0) {
        throw new ConfigError(
          `predict returned an output of length ${vector.length} for row ${start + i}; expected ${width} (at least 1)`,
        );
      }
      vector.forEach((value) => {
        if (!Number.isFinite(value))
          throw new ConfigError(
            `predict returned ${String(value)} for row ${start + i}; outputs must be finite`,
          );
      });
      use(start + i, vector);
    });
  }
}

/** numpy's allclose(x, b, rtol=1e-5, atol=1e-8) against every background row: shap's test that a player varies. */
function varyingPlayers(
  query: Float64Array,
  background: readonly Float64Array[],
  groups: readonly number[][],
): number[] {
  const differs = (x: number, b: number): boolean => Math.abs(x - b) > 1e-8 + 1e-5 * Math.abs(b);
  return groups.flatMap((group, player) =>
    background.some((row) => group.some((i) => differs(query[i] as number, row[i] as number)))
      ? [player]
      : [],
  );
}

interface CoreResult extends KernelShapRun {
  readonly expectedValue: number[];
  readonly fx: number[];
  readonly shapValues: number[][];
  readonly selected: number[][];
}

/** Mean prediction over the background for each planned coalition: coalitionMeans[k][d]. */
async function coalitionMeans(
  evaluate: Evaluate,
  plan: CoalitionPlan,
  input: ReadOptions,
  players: number[][],
  outputs: number,
): Promise<Float64Array[]> {
  const { background, query, batchSize } = input;
  const n = background.length;
  const means = plan.masks.map(() => new Float64Array(outputs));
  const weight = 1 / n;
  await predictInBatches(
    evaluate,
    plan.masks.length * n,
    batchSize,
    outputs,
    (index) => {
      const row = Float64Array.from(background[index % n] as Float64Array);
      const mask = plan.masks[Math.floor(index / n)] as Uint8Array;
      players.forEach((indices, j) => {
        if (mask[j] === 1) for (const i of indices) row[i] = query[i] as number;
      });
      return row;
    },
    (index, output) => {
      const mean = means[Math.floor(index / n)] as Float64Array;
      output.forEach((value, d) => (mean[d] = (mean[d] as number) + value * weight));
    },
  );
  return means;
}

async function explain(evaluate: Evaluate, input: ReadOptions): Promise<CoreResult> {
  const { background, query, groups, batchSize } = input;
  const n = background.length;
  const backgroundOutputs: Float64Array[] = [];
  const copyRow = (i: number): Float64Array => Float64Array.from(background[i] as Float64Array);
  await predictInBatches(evaluate, n, batchSize, null, copyRow, (_, output) =>
    backgroundOutputs.push(output),
  );
  const first = backgroundOutputs[0] as Float64Array;
  const expectedValue = Array.from(first, () => 0);
  const weight = 1 / n; // shap's background weights: ones normalised to sum 1
  for (const output of backgroundOutputs) {
    if (output.length !== first.length) {
      throw new ConfigError(
        `predict returned outputs of different lengths (${first.length} and ${output.length})`,
      );
    }
    output.forEach((value, d) => (expectedValue[d] = (expectedValue[d] as number) + value * weight));
  }
  const outputs = expectedValue.length;
  let fx: number[] = [];
  await predictInBatches(
    evaluate,
    1,
    1,
    outputs,
    () => Float64Array.from(query),
    (_, output) => (fx = Array.from(output)),
  );
  const difference = fx.map((value, d) => value - (expectedValue[d] as number));
  const varying = varyingPlayers(query, background, groups);
  const m = varying.length;
  const shapValues = difference.map(() => new Array<number>(groups.length).fill(0));
  const base = { expectedValue, fx, varying, predictRows: n + 1 };
  if (m <= 1) {
    // No varying player: nothing to share. One: it gets the whole difference (shap's shortcuts).
    if (m === 1) shapValues.forEach((values, d) => (values[varying[0] as number] = difference[d] as number));
    const selected = difference.map(() => varying.slice());
    return { ...base, shapValues, selected, coalitions: 0, enumeratedCoalitions: 0, exact: true };
  }
  const nsamples = input.nsamples === 'auto' ? 2 * m + 2048 : input.nsamples;
  input.checkPredictRows(Math.min(nsamples, maxCoalitions(m)) * n + n + 1);
  const plan = planCoalitions(m, nsamples, new Rng(input.seed, 'kernel-shap'));
  const players = varying.map((player) => groups[player] as number[]);
  const means = await coalitionMeans(evaluate, plan, input, players, outputs);
  const selected = difference.map((diff, d) => {
    const { values, selected: kept } = solveKernelShap(
      {
        masks: plan.masks,
        weights: plan.weights,
        coalitionMeans: Float64Array.from(means, (mean) => mean[d] as number),
        difference: diff,
        expectedValue: expectedValue[d] as number,
        allocated: plan.allocated,
        l1Reg: input.l1Reg,
      },
      m,
    );
    values.forEach((value, j) => ((shapValues[d] as number[])[varying[j] as number] = value));
    return kept.map((j) => varying[j] as number);
  });
  return {
    ...base,
    shapValues,
    selected,
    coalitions: plan.masks.length,
    enumeratedCoalitions: plan.enumerated,
    exact: plan.complete,
    predictRows: base.predictRows + plan.masks.length * n,
  };
}

/**
 * KernelSHAP values of one query row for a one-output model (shap 0.51's KernelExplainer with
 * the identity link). `background` is N × P, `query` has P values; players are the P columns, or
 * `options.groups`. Async because `predict` may be; throws a ConfigError for bad input or limits.
 */
export async function kernelShap(
  predict: KernelShapPredict,
  background: readonly ArrayLike<number>[],
  query: ArrayLike<number>,
  options: KernelShapOptions = {},
): Promise<KernelShapResult> {
  const core = await explain(scalarEvaluator(predict), readOptions(background, query, options));
  return {
    ...core,
    expectedValue: core.expectedValue[0] as number,
    fx: core.fx[0] as number,
    shapValues: core.shapValues[0] as number[],
    selected: core.selected[0] as number[],
  };
}

/** KernelSHAP for a model with D outputs per row (e.g. h forecast steps): each output explained separately. */
export async function kernelShapMulti(
  predict: KernelShapPredictMulti,
  background: readonly ArrayLike<number>[],
  query: ArrayLike<number>,
  options: KernelShapOptions = {},
): Promise<KernelShapMultiResult> {
  return explain(multiEvaluator(predict), readOptions(background, query, options));
}
