/** Schemas of `GET /api/models` and `GET /api/vocabulary`: the engine's registries as the UI needs them. */
import { z } from 'zod';
import { METRIC_IDS } from '../metrics.js';

/** One registered model: ids, capabilities, its default config and Auto search space. */
export const modelInfoSchema = z.object({
  /** Plain model id (`'nhits'`). */
  id: z.string(),
  /** The Auto model id (`'auto_nhits'`). */
  autoId: z.string(),
  /** NeuralForecast class name (`'NHITS'`). */
  label: z.string(),
  description: z.string(),
  family: z.string(),
  multivariate: z.boolean(),
  /** True when it trains with point losses only (no distribution loss, so no HINT). */
  pointLossOnly: z.boolean(),
  exogenous: z.object({ futr: z.boolean(), hist: z.boolean(), stat: z.boolean() }),
  /** True when the model embeds categorical exogenous columns (`cat_exog_list`). */
  categoricalExogenous: z.boolean(),
  /** The model-specific config with every default filled. */
  defaultConfig: z.record(z.string(), z.unknown()),
  /** The Auto model's default search space for `h = 1` (the UI asks again for other h via the plan). */
  defaultSearchSpace: z.record(z.string(), z.unknown()),
  /** Keys `config` accepts for this model (model-specific and common training keys). */
  configKeys: z.array(z.string()),
});
/** One registered model. */
export type ModelInfoDto = z.infer<typeof modelInfoSchema>;
/** `GET /api/models` response, in registry order. */
export const listModelsResponseSchema = z.array(modelInfoSchema);

/** One loss of the engine registry, as `GET /api/vocabulary` lists it. */
export const lossInfoSchema = z.object({
  /** Persisted id (`'mqloss'`). */
  id: z.string(),
  /** NeuralForecast class name (`'MQLoss'`). */
  label: z.string(),
  description: z.string(),
  /** True when a spec must give parameters (`{ id, ... }`); false when the id alone is a valid loss. */
  needsParams: z.boolean(),
  /** JSON Schema of the parameters a spec may give. */
  paramsJsonSchema: z.record(z.string(), z.unknown()),
});
/** One registered loss. */
export type LossInfoDto = z.infer<typeof lossInfoSchema>;

/**
 * `GET /api/vocabulary`: the id lists the UI offers whose registries live outside the contracts
 * (losses in the engine), with the metric ids, so forms never keep their own copy.
 */
export const vocabularyResponseSchema = z.object({
  /** The engine's losses in registry order. */
  losses: z.array(lossInfoSchema),
  /** DistributionLoss's families (`{ id: 'distributionloss', distribution }`), e.g. for HINT. */
  distributions: z.array(z.string()),
  /** The metric ids runs can be compared by (the run spec's `metric`). */
  metrics: z.array(z.enum(METRIC_IDS)),
});
/** `GET /api/vocabulary` response. */
export type VocabularyDto = z.infer<typeof vocabularyResponseSchema>;
