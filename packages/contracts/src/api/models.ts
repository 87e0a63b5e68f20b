/** Schema of `GET /api/models`: the engine's model registry as the UI needs it. */
import { z } from 'zod';

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
  exogenous: z.object({ futr: z.boolean(), hist: z.boolean(), stat: z.boolean() }),
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
