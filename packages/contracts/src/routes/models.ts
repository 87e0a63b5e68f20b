/** The engine's model registry. */
import { listModelsResponseSchema } from '../api/models.js';
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
} as const;
