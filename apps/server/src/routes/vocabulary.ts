import type { FastifyPluginAsync } from 'fastify';
import { METRIC_IDS, MODEL_ROUTES, type VocabularyDto } from '@nflab/contracts';
import { describeLosses } from '@nflab/engine';
import { attach } from './attach.js';

// The registries do not change while the server runs.
const VOCABULARY: VocabularyDto = { losses: describeLosses(), metrics: [...METRIC_IDS] };

/** `GET /api/vocabulary`: the loss registry and the metric ids, for the experiment wizard. */
export const vocabularyRoutes: FastifyPluginAsync = async (app) => {
  attach(app, MODEL_ROUTES.getVocabulary, async () => VOCABULARY);
};
