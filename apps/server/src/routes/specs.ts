import type { FastifyPluginAsync } from 'fastify';
import {
  parseInput,
  parseRunSpec,
  parseSweepSpec,
  planSweepRequestSchema,
  specJsonSchemas,
  validateSpecRequestSchema,
} from '@nflab/contracts';
import { planSweep } from '@nflab/runner';
import { estimateSeconds } from '../plan-estimate.js';

/** Spec JSON Schemas, validation and the sweep plan preview (viewer: nothing is started). */
export const specRoutes: FastifyPluginAsync = async (app) => {
  const viewer = { config: { access: 'viewer' as const } };

  const schemas = specJsonSchemas();
  app.get('/schemas/run-spec', viewer, async () => schemas['run-spec.schema.json']);
  app.get('/schemas/sweep-spec', viewer, async () => schemas['sweep-spec.schema.json']);

  app.post('/specs/validate', viewer, async (request) => {
    const { kind, spec } = parseInput(validateSpecRequestSchema, request.body, 'body');
    return {
      valid: true,
      spec: kind === 'run' ? parseRunSpec(spec, 'body.spec') : parseSweepSpec(spec, 'body.spec'),
    };
  });

  app.post('/sweeps/plan', viewer, async (request) => {
    const { spec } = parseInput(planSweepRequestSchema, request.body, 'body');
    const plan = await planSweep(spec, { db: app.db });
    return { ...plan, estimatedSeconds: estimateSeconds(plan.runs.map((run) => run.spec)) };
  });
};
