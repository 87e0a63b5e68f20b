/** The model registry: one line per model; tests, the API and the UI loop over it. */
import { ConfigError } from '@nflab/contracts';
import type { Loss } from '../losses/types.js';
import type { ModelSpec, MultivariateModelSpec, UnivariateModelSpec } from '../model/types.js';
import { autoformer } from './autoformer/autoformer.js';
import { bitcn } from './bitcn/bitcn.js';
import { deepar } from './deepar/deepar.js';
import { dilatedrnn } from './dilatedrnn/dilatedrnn.js';
import { deepnpts } from './deepnpts/deepnpts.js';
import { dlinear } from './dlinear/dlinear.js';
import { fedformer } from './fedformer/fedformer.js';
import { gru } from './gru/gru.js';
import { informer } from './informer/informer.js';
import { itransformer } from './itransformer/itransformer.js';
import { kan } from './kan/kan.js';
import { lstm } from './lstm/lstm.js';
import { mlp } from './mlp/mlp.js';
import { mlpmultivariate } from './mlpmultivariate/mlpmultivariate.js';
import { nbeats } from './nbeats/nbeats.js';
import { nbeatsx } from './nbeatsx/nbeatsx.js';
import { nhits } from './nhits/nhits.js';
import { nlinear } from './nlinear/nlinear.js';
import { patchtst } from './patchtst/patchtst.js';
import { rmok } from './rmok/rmok.js';
import { rnn } from './rnn/rnn.js';
import { softs } from './softs/softs.js';
import { softssharp } from './softssharp/softssharp.js';
import { stemgnn } from './stemgnn/stemgnn.js';
import { tcn } from './tcn/tcn.js';
import { tide } from './tide/tide.js';
import { timellm } from './timellm/timellm.js';
import { tft } from './tft/tft.js';
import { timemixer } from './timemixer/timemixer.js';
import { timexer } from './timexer/timexer.js';
import { timesnet } from './timesnet/timesnet.js';
import { tsmixer } from './tsmixer/tsmixer.js';
import { tsmixerx } from './tsmixerx/tsmixerx.js';
import { vanillatransformer } from './vanillatransformer/vanillatransformer.js';
import { xlinear } from './xlinear/xlinear.js';

/** Every model the lab can train, keyed by its persisted id. */
export const MODELS = {
  mlp,
  nhits,
  nbeats,
  nbeatsx,
  dlinear,
  nlinear,
  tide,
  deepnpts,
  rnn,
  lstm,
  gru,
  tcn,
  kan,
  bitcn,
  timesnet,
  deepar,
  dilatedrnn,
  vanillatransformer,
  informer,
  patchtst,
  autoformer,
  fedformer,
  tft,
  mlpmultivariate,
  tsmixer,
  tsmixerx,
  rmok,
  xlinear,
  timemixer,
  itransformer,
  softs,
  softssharp,
  timexer,
  timellm,
  stemgnn,
} as const satisfies Record<string, ModelSpec>;

/** A registered model id (`'nhits'`). */
export type ModelId = keyof typeof MODELS;

/** Registered model ids, in registry order. */
export const MODEL_IDS = Object.keys(MODELS) as ModelId[];

/** True when `id` names a registered model. */
export function isModelId(id: string): id is ModelId {
  return Object.hasOwn(MODELS, id);
}

/** Ids of the models that map each series alone (`kind: 'univariate'`). */
export const UNIVARIATE_MODEL_IDS = MODEL_IDS.filter((id) => MODELS[id].kind === 'univariate');

/** Ids of the models that see every series at once (`kind: 'multivariate'`; they need `n_series`). */
export const MULTIVARIATE_MODEL_IDS = MODEL_IDS.filter((id) => MODELS[id].kind === 'multivariate');

/** True when registered model `id` is multivariate. */
export function isMultivariateModel(id: string): boolean {
  return isModelId(id) && MODELS[id].kind === 'multivariate';
}

/** The spec of model `id`; an unknown id is a ConfigError listing the registered ids. */
export function getModelSpec(id: string): ModelSpec {
  if (!isModelId(id)) {
    throw new ConfigError(`unknown model '${id}'; registered models: ${MODEL_IDS.join(', ')}`);
  }
  // Widened to the untyped contract: callers pass configs parsed by this spec's own schema.
  return MODELS[id] as unknown as ModelSpec;
}

/** The spec of univariate model `id`; a multivariate or unknown id is a ConfigError. */
export function getUnivariateModelSpec(id: string): UnivariateModelSpec {
  const spec = getModelSpec(id);
  if (spec.kind !== 'univariate') {
    throw new ConfigError(`model '${id}' (${spec.label}) is multivariate; it takes all series at once`);
  }
  return spec;
}

/** The spec of multivariate model `id`; a univariate or unknown id is a ConfigError. */
export function getMultivariateModelSpec(id: string): MultivariateModelSpec {
  const spec = getModelSpec(id);
  if (spec.kind !== 'multivariate') {
    throw new ConfigError(`model '${id}' (${spec.label}) is univariate; it has no n_series`);
  }
  return spec;
}

/**
 * Why model `id` cannot train with `loss`, or undefined. A point-loss-only model (DeepNPTS) emits
 * one value per step, so NeuralForecast refuses any distribution or multi-output loss for it —
 * a one-parameter distribution (Poisson) included; the planner and resolveModel ask here.
 */
export function pointLossRefusal(
  id: string,
  name: string,
  loss: Pick<Loss, 'id' | 'isDistribution' | 'outputSize'>,
): string | undefined {
  const spec = getModelSpec(id);
  if (!spec.pointLossOnly || (!loss.isDistribution && loss.outputSize === 1)) return undefined;
  return `model '${name}' (${spec.label}) trains with point losses only (mae, mse, …); '${loss.id}' ${
    loss.isDistribution ? 'is a distribution loss' : `asks for ${loss.outputSize} outputs per step`
  }`;
}
