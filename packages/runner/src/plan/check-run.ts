/**
 * Checks of a parsed run spec against the registries: the model exists, accepts the exogenous kinds
 * the spec selects and its config (a multivariate model's n_series is the run's series count), the
 * losses exist with valid parameters, the sampler and pruner/scheduler options fit their schemas,
 * and an explicit search space is one @nflab/tune can build. Each problem is a sentence naming the
 * field, the value and what is allowed.
 */
import {
  baseModelId,
  EXOG_KINDS,
  isLabError,
  pickSearchConfig,
  type ExogKind,
  type RunSpec,
  type SweepSpec,
} from '@nflab/contracts';
import {
  createLoss,
  isModelId,
  MODEL_IDS,
  MODELS,
  parseLossSpec,
  pointLossRefusal,
  type ModelId,
} from '@nflab/engine';
import { parseSearchSpace, searchProblems } from '@nflab/tune';
import { llmProblem } from '../compute/llm-dir.js';
import { nSeriesProblem, runSeriesCount } from '../compute/model-config.js';
import { checkRunConfig } from './check-config.js';

/** Columns a spec gives each exogenous kind explicitly (lists and `map`); `auto` picks are not counted. */
export const explicitExogenous = (spec: RunSpec): Record<ExogKind, string[]> => {
  const columns: Record<ExogKind, string[]> = { futr: [], hist: [], stat: [] };
  const selection = spec.exogenous;
  if (selection.mode === 'none') return columns;
  if (selection.mode === 'explicit') {
    columns.futr.push(...(selection.futr_exog_list ?? []));
    columns.hist.push(...(selection.hist_exog_list ?? []));
    columns.stat.push(...(selection.stat_exog_list ?? []));
  }
  for (const [column, kind] of Object.entries(selection.map ?? {})) columns[kind].push(column);
  return columns;
};

const messageOf = (error: unknown): string => {
  if (isLabError(error)) return error.message;
  throw error;
};

const lossProblem = (field: 'loss' | 'valid_loss', value: unknown): string | undefined => {
  try {
    parseLossSpec(value);
    return undefined;
  } catch (error) {
    return `${field}: ${messageOf(error)}`;
  }
};

/**
 * A point-loss-only model (DeepNPTS) with a loss that is not a point loss: the engine refuses to
 * build it, so the plan says so first. HINT needs a distribution loss, so it cannot wrap such a model.
 */
const pointLossProblem = (spec: RunSpec): string | undefined => {
  if (lossProblem('loss', spec.loss) !== undefined) return undefined;
  const refusal = pointLossRefusal(baseModelId(spec.model), spec.model, createLoss(spec.loss));
  if (refusal === undefined) return undefined;
  return spec.hierarchy === undefined
    ? `loss: ${refusal}; use mae, mse or another point loss`
    : `loss: ${refusal}; HINT reconciles forecast draws and needs a distribution loss, so choose another model for it`;
};

const exogenousProblems = (spec: RunSpec, modelId: keyof typeof MODELS): string[] => {
  const support = MODELS[modelId].exogenous;
  const accepted = EXOG_KINDS.filter((kind) => support[kind]);
  const chosen = explicitExogenous(spec);
  return EXOG_KINDS.filter((kind) => chosen[kind].length > 0 && !support[kind]).map(
    (kind) =>
      `exogenous: model '${spec.model}' does not accept ${kind} exogenous (${chosen[kind].join(', ')}); ` +
      `it accepts: ${accepted.length > 0 ? accepted.join(', ') : 'none'}`,
  );
};

/**
 * Sinks this runner records to: the lab database (which records every run), Prometheus (live
 * gauges while the run executes, pushed to a Pushgateway when one is configured), and W&B and the
 * user's MLflow server (sent once the run ends, from the export outbox in export/). A sink with no
 * writer is refused here, so a run never looks tracked where it is not.
 */
export const RECORDING_SINKS: readonly string[] = ['postgres', 'prometheus', 'mlflow', 'wandb'];

const trackingProblems = (spec: RunSpec): string[] =>
  spec.tracking
    .filter((sink) => !RECORDING_SINKS.includes(sink.sink))
    .map(
      (sink) =>
        `tracking: sink '${sink.sink}' has no writer in this version of the lab; use ${RECORDING_SINKS.map((s) => `'${s}'`).join(', ')} (the lab database records every run)`,
    );

/**
 * Config problems of a registered model. A multivariate model takes the run's series together:
 * its n_series is the panel's width, which the runner sets (see compute/model-config.ts), so the
 * config is checked with it filled in and a user-given n_series must agree.
 */
const modelConfigProblems = (spec: RunSpec, id: ModelId): string[] => {
  if (MODELS[id].kind !== 'multivariate') return checkRunConfig(spec, id);
  const problem = nSeriesProblem(spec);
  if (problem !== undefined) return [problem];
  return checkRunConfig({ ...spec, config: { ...spec.config, n_series: runSeriesCount(spec) } }, id);
};

/**
 * Why a sweep's run cannot take its series one per run, or undefined: `each_unique_id` splits
 * every panel into single-series runs, which defeats a multivariate model (it is built to take
 * the run's series together). Listing single-series panels as unique_ids alternatives stays
 * possible: NeuralForecast builds these models for n_series 1 too.
 */
export const seriesSplitProblem = (
  sweep: Pick<SweepSpec, 'each_unique_id'>,
  spec: RunSpec,
): string | undefined => {
  const id = baseModelId(spec.model);
  if (!sweep.each_unique_id || !isModelId(id) || MODELS[id].kind !== 'multivariate') return undefined;
  return (
    `each_unique_id: splits the series into one run each, but '${spec.model}' (${MODELS[id].label}) is a ` +
    'multivariate model that takes the chosen series together (n_series = the number of unique_ids); ' +
    'turn each_unique_id off for it (a sweep of its own), or list the single series as unique_ids alternatives ([["N1"], ["N2"]]) to fit it on one series at a time'
  );
};

/** Every registry problem of a run spec; empty when the run can be built. */
export const checkRunAgainstRegistries = (spec: RunSpec): string[] => {
  const problems: string[] = [];
  const id = baseModelId(spec.model);
  if (isModelId(id)) {
    problems.push(...exogenousProblems(spec, id), ...modelConfigProblems(spec, id));
    const llm = llmProblem(spec);
    if (llm !== undefined) problems.push(llm);
    const pointLoss = pointLossProblem(spec);
    if (pointLoss !== undefined) problems.push(pointLoss);
  } else
    problems.push(
      `model: unknown model '${spec.model}' ('${id}' is not registered); models: ${MODEL_IDS.join(', ')}`,
    );
  for (const field of ['loss', 'valid_loss'] as const) {
    const problem = lossProblem(field, spec[field]);
    if (problem !== undefined) problems.push(problem);
  }
  // Options fail here, at plan time, rather than inside the worker (e.g. search_alg_options.n_startup_trials).
  problems.push(...searchProblems(pickSearchConfig(spec)));
  if (spec.search_space !== undefined) {
    try {
      parseSearchSpace(spec.search_space);
    } catch (error) {
      problems.push(`search_space: ${messageOf(error)}`);
    }
  }
  problems.push(...trackingProblems(spec));
  return problems;
};
