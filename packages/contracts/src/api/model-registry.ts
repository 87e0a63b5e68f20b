/**
 * Schemas of the lab's model registry routes (issue 17, item 4): registered models with their
 * versions, stages and aliases, who moved what when (from the audit log), stage and alias changes,
 * and predicting with a version named by alias or number. The same rows answer MLflow's registry
 * API (`/api/2.0/mlflow/registered-models/*`).
 */
import { z } from 'zod';
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

/** How many history entries a detail shows. */
export const REGISTRY_HISTORY_LIMIT = 200;
