/**
 * Schemas of the lab's model registry routes (issue 17, item 4): registered models with their
 * versions, stages and aliases, who moved what when (from the audit log), stage and alias changes,
 * and predicting with a version named by alias or number. The same rows answer MLflow's registry
 * API (`/api/2.0/mlflow/registered-models/*`).
 */
import { z } from 'zod';
import { runComparisonSchema } from './analysis.js';
import { auditEntrySchema } from './audit.js';
import { isoDateTime } from './common.js';
import { REGISTRY_STAGE_IDS, predictRequestSchema, registryEntrySchema } from './runs.js';

/** An alias: a named pointer such as `champion`, lowercase, as promote accepts it. */
export const REGISTRY_ALIAS_PATTERN = /^[a-z][a-z0-9_-]{0,63}$/;
const alias = z.string().regex(REGISTRY_ALIAS_PATTERN, {
  message: 'use lowercase letters, digits, _ and - (at most 64, starting with a letter), e.g. champion',
});
const modelName = z.string().min(1).max(128);

/** `/api/registry/:name` path. */
export const registryModelParamsSchema = z.object({ name: modelName }).strict();
/** `/api/registry/:name/versions/:version/...` path. */
export const registryVersionParamsSchema = z
  .object({ name: modelName, version: z.coerce.number().int().min(1) })
  .strict();
/** `/api/registry/:name/aliases/:alias` path. */
export const registryAliasParamsSchema = z.object({ name: modelName, alias }).strict();

/** `POST /api/registry/:name/versions/:version/stage` body; into or out of `prod` needs the admin role. */
export const registryStageRequestSchema = z
  .object({
    stage: z.enum(REGISTRY_STAGE_IDS),
    /** Archive the other versions at the new stage (staging or prod only), as MLflow can. @default false */
    archive_others: z.boolean().default(false),
  })
  .strict();
/** `PUT /api/registry/:name/aliases/:alias` body: the version the alias points at from now on. */
export const registryAliasRequestSchema = z.object({ version: z.number().int().min(1) }).strict();

/** A registered model as the registry list shows it. */
export const registeredModelSchema = z.object({
  name: z.string(),
  description: z.string().nullable(),
  tags: z.record(z.string(), z.unknown()),
  created_at: isoDateTime,
  updated_at: isoDateTime,
  /** Number of versions. */
  versions: z.number().int(),
  /** The newest version number, or null before the first. */
  latest_version: z.number().int().nullable(),
  /** The newest version at each stage that has one. */
  stages: z.partialRecord(z.enum(REGISTRY_STAGE_IDS), z.number().int()),
  /** Alias to version. */
  aliases: z.record(z.string(), z.number().int()),
});
/** A registered model in the list. */
export type RegisteredModelDto = z.infer<typeof registeredModelSchema>;
/** `GET /api/registry` response, by name. */
export const listRegistryResponseSchema = z.object({ items: z.array(registeredModelSchema) });

/** `GET /api/registry/:name` response: the model, every version (newest first) and its history. */
export const registryModelDetailSchema = z.object({
  model: registeredModelSchema,
  entries: z.array(registryEntrySchema),
  /** Who moved what when: promotions, stage and alias changes, newest first (at most 200). */
  history: z.array(auditEntrySchema),
});
/** A registered model's detail. */
export type RegistryModelDetailDto = z.infer<typeof registryModelDetailSchema>;

/** `POST /api/registry/:name/predict` body: which version (an alias or a number), then predict's fields. */
export const registryPredictRequestSchema = predictRequestSchema
  .extend({ alias: alias.optional(), version: z.number().int().min(1).optional() })
  .strict()
  .refine((body) => (body.alias === undefined) !== (body.version === undefined), {
    message: 'name the version with exactly one of alias or version',
  });

/** Formats a model card is served in. */
export const MODEL_CARD_FORMATS = ['md', 'html'] as const;
/** One of {@link MODEL_CARD_FORMATS}. */
export type ModelCardFormat = (typeof MODEL_CARD_FORMATS)[number];
/** `GET /api/registry/:name/versions/:version/card` query. */
export const registryCardQuerySchema = z
  .object({ format: z.enum(MODEL_CARD_FORMATS).default('md') })
  .strict();

/** The most recent shared points one champion/challenger comparison takes. */
export const REGISTRY_COMPARE_MAX_POINTS = 5000;

/**
 * `GET /api/registry/:name/compare` query: two aliases compared on their most recent shared
 * forecast points, and the A/B power analysis's settings.
 */
export const registryCompareQuerySchema = z
  .object({
    champion: alias.default('champion'),
    challenger: alias.default('challenger'),
    /** The most recent points both forecast (with known actuals) that are compared. */
    recent: z.coerce.number().int().min(3).max(REGISTRY_COMPARE_MAX_POINTS).default(100),
    alpha: z.coerce.number().gt(0).lt(1).default(0.05),
    /** Wanted power of the A/B test. */
    power: z.coerce.number().gt(0).lt(1).default(0.8),
    /** MAE difference the power analysis is for. @default the observed difference */
    mae_difference: z.coerce.number().positive().optional(),
  })
  .strict()
  .refine((query) => query.champion !== query.challenger, {
    message: 'compare two different aliases',
    path: ['challenger'],
  });
/** A champion/challenger request as written. */
export type RegistryCompareQuery = z.input<typeof registryCompareQuerySchema>;

const comparedSide = z.object({
  alias: z.string(),
  version: z.number().int(),
  run_id: z.string(),
  /** MAE on the compared points. */
  mae: z.number(),
});

/** `GET /api/registry/:name/compare` response. */
export const registryCompareResponseSchema = z.object({
  name: z.string(),
  champion: comparedSide,
  challenger: comparedSide,
  /** Points compared, and the first and last date among them. */
  points: z.number().int(),
  from: z.string(),
  to: z.string(),
  /** The paired tests; `a` is the champion, so negative statistics favour it. */
  comparison: runComparisonSchema,
  power: z.object({
    alpha: z.number(),
    power: z.number(),
    maeDifference: z.number(),
    sdDifference: z.number(),
    /** Paired points needed to detect `maeDifference` at `power` and `alpha`; null when the errors do not vary. */
    pointsNeeded: z.number().int().nullable(),
    /** Power of the points compared; null when the errors do not vary. */
    achievedPower: z.number().nullable(),
  }),
  /** One plain sentence on what the comparison shows. */
  verdict: z.string(),
});
/** A champion/challenger comparison. */
export type RegistryCompareDto = z.infer<typeof registryCompareResponseSchema>;

/** How many history entries a detail shows. */
export const REGISTRY_HISTORY_LIMIT = 200;
