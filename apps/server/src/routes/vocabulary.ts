import type { FastifyPluginAsync } from 'fastify';
import { METRIC_IDS, type VocabularyDto } from '@nflab/contracts';
import { describeLosses } from '@nflab/engine';

// The registries do not change while the server runs.
const VOCABULARY: VocabularyDto = { losses: describeLosses(), metrics: [...METRIC_IDS] };

/** `GET /api/vocabulary`: the loss registry and the metric ids, for the experiment wizard. */
export const vocabularyRoutes: FastifyPluginAsync = async (app) => {
  app.get('/vocabulary', { config: { access: 'viewer' } }, async () => VOCABULARY);
};
