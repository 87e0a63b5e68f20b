/**
 * One model inside the core: its registry spec, parsed configs, loss and network, plus the
 * weight access that save/load needs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@nflab/contracts';
import { parseCommonConfig, splitConfig, validLossSpec, type CommonConfig } from '../config/common.js';
import { categoricalLayout, checkCategorical, type CategoricalLayout } from '../categorical/layout.js';
import { withCategoricalEmbeddings } from '../categorical/embedding-network.js';
import { checkConfigKeys, configAlias } from '../config/config-keys.js';
import type { Panel } from '../data/panel.js';
import { createLoss } from '../losses/registry.js';
import type { Loss } from '../losses/types.js';
import type { ModelDims, ModelNetwork, ModelSpec } from '../model/types.js';
import { toSeriesRowsNetwork } from '../models/multivariate.js';
import { getModelSpec, pointLossRefusal } from '../models/registry.js';
import { createRevinParams, type RevinParams } from '../scalers/window-scalers.js';
import { checkValidLoss } from '../training/outputs.js';
import type { ExogLists } from '../windows/source.js';
import type { ModelEntry } from './types.js';

/** A model of the core, built or not yet built. */
export interface CoreModel {
  readonly entry: ModelEntry;
  /** Forecast column name. */
  readonly name: string;
  readonly spec: ModelSpec;
  readonly common: CommonConfig;
  readonly modelConfig: Record<string, unknown>;
  readonly loss: Loss;
  readonly validLoss: Loss;
  readonly exog: ExogLists;
  /** Where its categorical columns sit and how wide their embeddings are; undefined when it embeds none. */
  readonly categorical: CategoricalLayout | undefined;
  /** Present once fitted (or loaded). */
  network?: ModelNetwork;
  revin?: RevinParams;
}

let revinCounter = 0;

/**
 * Resolves an entry against the registry and parses both configs; a ConfigError names the model and
 * key, unknown keys included (see checkConfigKeys).
 */
export const resolveModel = (entry: ModelEntry, name: string): CoreModel => {
  const spec = getModelSpec(entry.id);
  const known = checkConfigKeys(entry.config, { modelName: name, spec });
  const { common: rawCommon, model: rawModel } = splitConfig(known);
  const common = parseCommonConfig(rawCommon, { modelDefaults: spec.commonDefaults, modelName: name });
  const parsed = spec.configSchema.safeParse(rawModel);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`model '${name}' (${spec.label}): invalid config — ${issues}`);
  }
  const loss = createLoss(common.loss);
  const validLoss = createLoss(validLossSpec(common));
  checkValidLoss(loss, validLoss);
  const refusal = pointLossRefusal(entry.id, name, loss);
  if (refusal !== undefined) throw new ConfigError(refusal);
  const exog = { futr: common.futr_exog_list, hist: common.hist_exog_list, stat: common.stat_exog_list };
  checkExogSupport(spec, exog, name);
  checkCategorical(common, { name, label: spec.label, acceptsCategorical: spec.categoricalExogenous === true });
  if (spec.requiresInsampleY && common.exclude_insample_y) {
    throw new ConfigError(
      `model '${name}' (${spec.label}) cannot exclude the insample y: it forecasts from it; set exclude_insample_y to false`,
    );
  }
  return {
    entry,
    name,
    spec,
    common,
    modelConfig: parsed.data,
    loss,
    validLoss,
    exog,
    categorical: categoricalLayout(common),
  };
};

/** Exogenous kinds the model does not take are a ConfigError listing what it accepts. */
const checkExogSupport = (spec: ModelSpec, exog: ExogLists, name: string): void => {
  const accepted = (['futr', 'hist', 'stat'] as const).filter((k) => spec.exogenous[k]);
  for (const kind of ['futr', 'hist', 'stat'] as const) {
    if (exog[kind].length > 0 && !spec.exogenous[kind]) {
      throw new ConfigError(
        `model '${name}' (${spec.label}) does not accept ${kind}_exog_list (got ${exog[kind].join(', ')}); it accepts ${
          accepted.length > 0 ? accepted.map((k) => `${k}_exog_list`).join(', ') : 'no exogenous variables'
        }`,
      );
    }
  }
};

/** Exogenous columns the model names must exist in the panel (temporal) and static frame. */
export const checkExogColumns = (model: CoreModel, panel: Panel): void => {
  const missingTemporal = [...model.exog.futr, ...model.exog.hist].filter(
    (c) => !panel.exogColumns.includes(c),
  );
  if (missingTemporal.length > 0) {
    throw new ConfigError(
      `model '${model.name}': df has no column(s) ${missingTemporal.join(', ')}; its columns are ${panel.exogColumns.join(', ') || '(none besides unique_id, ds, y)'}`,
    );
  }
  const missingStatic = model.exog.stat.filter((c) => !panel.staticColumns.includes(c));
  if (missingStatic.length > 0) {
    throw new ConfigError(
      `model '${model.name}': static_df has no column(s) ${missingStatic.join(', ')}; pass them in staticDf`,
    );
  }
};

/** The dims a model's network is built for: embedded categorical columns widen their stream. */
export const modelDims = (model: CoreModel): ModelDims => ({
  h: model.common.h,
  inputSize: model.common.input_size,
  futrExogSize: model.categorical?.futr.size ?? model.exog.futr.length,
  histExogSize: model.categorical?.hist.size ?? model.exog.hist.length,
  statExogSize: model.categorical?.stat.size ?? model.exog.stat.length,
  nOutputs: model.loss.outputSize,
});

/** Builds fresh weights (and RevIN's parameters when `scaler_type` is `revin`), freeing any previous ones. */
export const buildNetwork = (model: CoreModel): void => {
  disposeNetwork(model);
  const { spec } = model;
  if (spec.kind === 'multivariate') {
    const config = model.modelConfig as Parameters<typeof spec.build>[0];
    const dims = { ...modelDims(model), nSeries: config.n_series };
    model.network = toSeriesRowsNetwork(spec.build(config, dims, model.common.random_seed), dims.nSeries);
  } else {
    const network = spec.build(model.modelConfig, modelDims(model), model.common.random_seed);
    model.network = model.categorical
      ? withCategoricalEmbeddings(network, model.categorical, {
          modelId: spec.id,
          seed: model.common.random_seed,
        })
      : network;
  }
  if (model.common.scaler_type === 'revin') {
    revinCounter += 1;
    model.revin = createRevinParams(1, `revin#${revinCounter}`);
  }
};

/** Frees the model's weights. */
export const disposeNetwork = (model: CoreModel): void => {
  model.network?.dispose();
  if (model.revin) tf.dispose([model.revin.weight, model.revin.bias]);
  delete model.network;
  delete model.revin;
};

/** Every saved variable of the model, in a stable order (network first, then RevIN). */
export const modelVariables = (model: CoreModel): tf.Variable[] => [
  ...(model.network?.variables ?? []),
  ...(model.revin ? [model.revin.weight, model.revin.bias] : []),
];

/** Column names of a model's outputs (name + each loss suffix). */
export const outputColumns = (model: CoreModel): string[] =>
  model.loss.outputNames.map((suffix) => `${model.name}${suffix}`);

/** Column names: the entry's alias (or NeuralForecast's `alias` config key), else label with a counter for repeats (NHITS, NHITS1 …). */
export const modelNames = (entries: readonly ModelEntry[]): string[] => {
  const seen = new Map<string, number>();
  const names = entries.map((entry) => {
    const fromConfig = configAlias(entry.config);
    if (entry.alias && fromConfig && entry.alias !== fromConfig) {
      throw new ConfigError(
        `model '${entry.id}': alias '${entry.alias}' and config.alias '${fromConfig}' differ; give one of them`,
      );
    }
    const alias = entry.alias || fromConfig;
    if (alias) return alias;
    const label = getModelSpec(entry.id).label;
    const count = seen.get(label) ?? 0;
    seen.set(label, count + 1);
    return count === 0 ? label : `${label}${count}`;
  });
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new ConfigError(`two models are named '${duplicate}'; give them distinct aliases`);
  return names;
};
