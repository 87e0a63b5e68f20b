/** Model registry routes (issue 17): the same versions, stages and aliases MLflow clients see. */
import {
  listRegistryResponseSchema,
  registryAliasParamsSchema,
  registryAliasRequestSchema,
  registryCardQuerySchema,
  registryCompareQuerySchema,
  registryCompareResponseSchema,
  registryModelDetailSchema,
  registryModelParamsSchema,
  registryPredictRequestSchema,
  registryStageRequestSchema,
  registryVersionParamsSchema,
} from '../api/model-registry.js';
import { registryEntrySchema, startRunResponseSchema } from '../api/runs.js';
import { defineRoute } from './define.js';

/** The registry: read by viewers; stages and aliases moved by editors (into or out of prod: admin), audited. */
export const MODEL_REGISTRY_ROUTES = {
  listRegistry: defineRoute({
    method: 'GET',
    path: '/registry',
    summary: 'every registered model with its version count, newest version per stage and aliases',
    access: 'viewer',
    response: listRegistryResponseSchema,
  }),
  getRegisteredModel: defineRoute({
    method: 'GET',
    path: '/registry/:name',
    summary: 'a registered model, its versions and who moved what when',
    access: 'viewer',
    params: registryModelParamsSchema,
    response: registryModelDetailSchema,
  }),
  setRegistryStage: defineRoute({
    method: 'POST',
    path: '/registry/:name/versions/:version/stage',
    summary: 'move a version to a stage (archive it with stage archived; into or out of prod: admin)',
    access: 'editor',
    params: registryVersionParamsSchema,
    body: registryStageRequestSchema,
    response: registryEntrySchema,
  }),
  getRegistryAlias: defineRoute({
    method: 'GET',
    path: '/registry/:name/aliases/:alias',
    summary: 'the version an alias points at',
    access: 'viewer',
    params: registryAliasParamsSchema,
    response: registryEntrySchema,
  }),
  setRegistryAlias: defineRoute({
    method: 'PUT',
    path: '/registry/:name/aliases/:alias',
    summary: 'point an alias (e.g. champion) at a version, taking it from any other',
    access: 'editor',
    params: registryAliasParamsSchema,
    body: registryAliasRequestSchema,
    response: registryEntrySchema,
  }),
  deleteRegistryAlias: defineRoute({
    method: 'DELETE',
    path: '/registry/:name/aliases/:alias',
    summary: 'remove an alias',
    access: 'editor',
    params: registryAliasParamsSchema,
    status: 204,
  }),
  getRegistryCard: defineRoute({
    method: 'GET',
    path: '/registry/:name/versions/:version/card',
    summary:
      "a version's model card (Markdown or self-contained HTML): data, training, metrics against the naive baselines, whether it beats chance",
    access: 'viewer',
    params: registryVersionParamsSchema,
    query: registryCardQuerySchema,
  }),
  compareRegistryAliases: defineRoute({
    method: 'GET',
    path: '/registry/:name/compare',
    summary:
      'champion vs challenger: two aliases on their most recent shared forecast points, with paired tests and an A/B power analysis',
    access: 'viewer',
    params: registryModelParamsSchema,
    query: registryCompareQuerySchema,
    response: registryCompareResponseSchema,
  }),
  predictRegistered: defineRoute({
    method: 'POST',
    path: '/registry/:name/predict',
    summary:
      "forecast with a registered version named by alias or number (a new run linked to the version's run)",
    access: 'editor',
    params: registryModelParamsSchema,
    body: registryPredictRequestSchema,
    status: 201,
    response: startRunResponseSchema,
  }),
} as const;
