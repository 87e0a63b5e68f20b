/** KernelSHAP's options, defaults and limits, and the validation of its inputs. */
import { ConfigError } from '@nflab/contracts';
import type { Seed } from '@nflab/contracts';
import { requireFiniteNumbers, requirePositiveInteger } from '../checks.js';
import type { KernelShapL1Reg } from './kernel-shap-solve.js';

/**
 * Caps on what one KernelSHAP call may cost, because requests choose the sizes: the model is
 * called on about nsamples × N rows, and the regression costs about nsamples × M².
 */
export const KERNEL_SHAP_LIMITS = {
  /** Most coalitions a call may ask for (`nsamples`). */
  maxNsamples: 50_000,
  /** Most background rows (N). shap warns above 100 and suggests a sample or k-means summary. */
  maxBackgroundRows: 1_000,
  /** Most players (features, or groups): the regression is M × M. */
  maxPlayers: 100,
  /** Most rows passed to `predict` in one call of kernelShap, all batches together. */
  maxPredictRows: 5_000_000,
  /** Largest `batchSize`. */
  maxBatchSize: 100_000,
} as const;

/** Options of {@link kernelShap} and {@link kernelShapMulti}. */
export interface KernelShapOptions {
  /** Coalitions to evaluate; 'auto' = 2M + 2048 (M = varying players), capped at 2^M − 2 as in shap. @default 'auto' */
  readonly nsamples?: number | 'auto';
  /**
   * Feature selection before the regression (shap's `l1_reg`): `{ numFeatures: k }` keeps the
   * first k players LARS picks; `false` keeps all. @default { numFeatures: 10 } (shap 0.51's default)
   */
  readonly l1Reg?: KernelShapL1Reg;
  /** Seed of the coalition sampling (only used when not every coalition fits the budget). @default 0 */
  readonly seed?: Seed;
  /** Rows per `predict` call, so memory stays bounded. @default 1000 */
  readonly batchSize?: number;
  /**
   * Players made of several columns (shap's feature groups), e.g. one exogenous column over all
   * window steps: groups[j] lists the column indices of player j. Every column in exactly one group.
   * @default each column is its own player
   */
  readonly groups?: readonly (readonly number[])[];
}

/** Validated inputs. */
export interface ReadOptions {
  readonly background: Float64Array[];
  readonly query: Float64Array;
  readonly groups: number[][];
  readonly nsamples: number | 'auto';
  readonly l1Reg: KernelShapL1Reg;
  readonly seed: Seed;
  readonly batchSize: number;
  /** Throws when a run would pass more than the limit's rows to `predict`. */
  readonly checkPredictRows: (rows: number) => void;
}

function readGroups(groups: KernelShapOptions['groups'], columns: number): number[][] {
  if (groups === undefined) return Array.from({ length: columns }, (_, i) => [i]);
  const owner = new Array<number>(columns).fill(-1);
  groups.forEach((group, j) => {
    if (group.length === 0)
      throw new ConfigError(`groups[${j}] is empty; every group needs at least one column`);
    for (const column of group) {
      if (!Number.isInteger(column) || column < 0 || column >= columns) {
        throw new ConfigError(
          `groups[${j}] has column ${String(column)}; columns are integers in [0, ${columns - 1}]`,
        );
      }
      if (owner[column] !== -1)
        throw new ConfigError(
          `column ${column} is in groups[${owner[column]}] and groups[${j}]; each column belongs to one group`,
        );
      owner[column] = j;
    }
  });
  const missing = owner.indexOf(-1);
  if (missing !== -1)
    throw new ConfigError(`column ${missing} is in no group; groups must cover every column`);
  return groups.map((group) => group.slice());
}

function readL1Reg(l1Reg: KernelShapL1Reg | undefined): KernelShapL1Reg {
  if (l1Reg === undefined) return { numFeatures: 10 };
  if (l1Reg === false) return false;
  return { numFeatures: requirePositiveInteger(l1Reg.numFeatures, 'l1Reg.numFeatures') };
}

/** Checks shapes, finiteness and limits; copies the rows into Float64Arrays. */
export function readOptions(
  background: readonly ArrayLike<number>[],
  query: ArrayLike<number>,
  options: KernelShapOptions,
): ReadOptions {
  const limits = KERNEL_SHAP_LIMITS;
  if (background.length === 0) throw new ConfigError('background needs at least 1 row');
  if (background.length > limits.maxBackgroundRows) {
    throw new ConfigError(
      `background has ${background.length} rows; the limit is KERNEL_SHAP_LIMITS.maxBackgroundRows = ${limits.maxBackgroundRows} (summarise it, e.g. a random sample of rows)`,
    );
  }
  const columns = query.length;
  if (columns === 0) throw new ConfigError('query needs at least 1 column');
  const rows = background.map((row, i) => {
    if (row.length !== columns)
      throw new ConfigError(`background[${i}] has ${row.length} columns; query has ${columns}`);
    const copy = Float64Array.from(row);
    requireFiniteNumbers(Array.from(copy), `background[${i}]`);
    return copy;
  });
  const queryRow = Float64Array.from(query);
  requireFiniteNumbers(Array.from(queryRow), 'query');
  const groups = readGroups(options.groups, columns);
  if (groups.length > limits.maxPlayers) {
    throw new ConfigError(
      `${groups.length} players (features or groups); the limit is KERNEL_SHAP_LIMITS.maxPlayers = ${limits.maxPlayers} (group columns with options.groups)`,
    );
  }
  const nsamples = options.nsamples ?? 'auto';
  if (nsamples !== 'auto') {
    requirePositiveInteger(nsamples, 'nsamples');
    if (nsamples > limits.maxNsamples) {
      throw new ConfigError(
        `nsamples = ${nsamples}; the limit is KERNEL_SHAP_LIMITS.maxNsamples = ${limits.maxNsamples}`,
      );
    }
  }
  const batchSize = requirePositiveInteger(options.batchSize ?? 1000, 'batchSize');
  if (batchSize > limits.maxBatchSize) {
    throw new ConfigError(
      `batchSize = ${batchSize}; the limit is KERNEL_SHAP_LIMITS.maxBatchSize = ${limits.maxBatchSize}`,
    );
  }
  return {
    background: rows,
    query: queryRow,
    groups,
    nsamples,
    l1Reg: readL1Reg(options.l1Reg),
    seed: options.seed ?? 0,
    batchSize,
    checkPredictRows: (count) => {
      if (count > limits.maxPredictRows) {
        throw new ConfigError(
          `this explanation needs ${count} predict rows (coalitions × background rows); the limit is KERNEL_SHAP_LIMITS.maxPredictRows = ${limits.maxPredictRows} (lower nsamples or the background rows)`,
        );
      }
    },
  };
}
