import type { FastifyPluginAsync } from 'fastify';
import { METRIC_IDS, MODEL_ROUTES, type VocabularyDto } from '@nflab/contracts';
import { describeLosses, DISTRIBUTIONS } from '@nflab/engine';
import { attach } from './attach.js';

// The registries do not change while the server runs.
const VOCABULARY: VocabularyDto = {
  losses: describeLosses(),
  distributions: Object.keys(DISTRIBUTIONS),
  metrics: [...METRIC_IDS],
};

/** `GET /api/vocabulary`: the loss registry, its distributions and the metric ids, for the experiment wizard. */
export const vocabularyRoutes: FastifyPluginAsync = async (app) => {
  attach(app, MODEL_ROUTES.getVocabulary, async () => VOCABULARY);
};
