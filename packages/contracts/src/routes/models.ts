/** The engine's registries the experiment wizard offers: models, losses and metrics. */
import { listModelsResponseSchema, vocabularyResponseSchema } from '../api/models.js';
import { defineRoute } from './define.js';

/** For the experiment wizard (viewer role). */
export const MODEL_ROUTES = {
  listModels: defineRoute({
    method: 'GET',
    path: '/models',
    summary: 'the model registry',
    access: 'viewer',
    response: listModelsResponseSchema,
  }),
  getVocabulary: defineRoute({
    method: 'GET',
    path: '/vocabulary',
    summary: 'the loss registry and the metric ids',
    access: 'viewer',
    response: vocabularyResponseSchema,
  }),
} as const;
