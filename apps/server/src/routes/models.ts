import type { FastifyPluginAsync } from 'fastify';
import { MODEL_ROUTES, type ModelInfoDto } from '@nflab/contracts';
import { COMMON_KEYS, MODELS, modelConfigKeys, type ModelSpec } from '@nflab/engine';
import { attach } from './attach.js';

/** The registry entry as the API serves it; model-specific defaults come from its config schema. */
const modelInfo = (spec: ModelSpec): ModelInfoDto => {
  // n_series has no default (it is the width of the panel a run takes): parsed with a placeholder, left out.
  const parsed = spec.configSchema.safeParse(spec.kind === 'multivariate' ? { n_series: 1 } : {});
  const { n_series: _width, ...defaults } = (parsed.success ? parsed.data : {}) as Record<string, unknown>;
  return {
    id: spec.id,
    autoId: `auto_${spec.id}`,
    label: spec.label,
    description: spec.description,
    family: spec.family,
    multivariate: spec.kind === 'multivariate',
    pointLossOnly: spec.pointLossOnly === true,
    exogenous: { ...spec.exogenous },
    categoricalExogenous: spec.categoricalExogenous === true,
    defaultConfig: { ...spec.commonDefaults, ...defaults },
    defaultSearchSpace: spec.defaultSearchSpace(1),
    configKeys: [...modelConfigKeys(spec), ...COMMON_KEYS],
  };
};

// The registry does not change while the server runs.
const MODEL_LIST: readonly ModelInfoDto[] = Object.values(MODELS).map((spec) =>
  modelInfo(spec as unknown as ModelSpec),
);

/** `GET /api/models`: the engine's model registry, for the experiment wizard. */
export const modelRoutes: FastifyPluginAsync = async (app) => {
  attach(app, MODEL_ROUTES.listModels, async () => MODEL_LIST);
};
