import type { FastifyPluginAsync } from 'fastify';
import {
  checkSweepSize,
  parseInput,
  parseRunSpec,
  parseSweepSpec,
  planSweepRequestSchema,
  specJsonSchemas,
  validateSpecRequestSchema,
} from '@nflab/contracts';
import { planSweepPage } from '@nflab/runner';
import { runSeconds } from '../plan-estimate.js';

/** Spec JSON Schemas, validation and the sweep plan preview (viewer: nothing is started). */
export const specRoutes: FastifyPluginAsync = async (app) => {
  const viewer = { config: { access: 'viewer' as const } };

  const schemas = specJsonSchemas();
  app.get('/schemas/run-spec', viewer, async () => schemas['run-spec.schema.json']);
  app.get('/schemas/sweep-spec', viewer, async () => schemas['sweep-spec.schema.json']);

  app.post('/specs/validate', viewer, async (request) => {
    const { kind, spec } = parseInput(validateSpecRequestSchema, request.body, 'body');
    if (kind === 'run') return { valid: true, spec: parseRunSpec(spec, 'body.spec') };
    const sweep = parseSweepSpec(spec, 'body.spec');
    // A sweep the lab would refuse to plan is not valid here either.
    checkSweepSize(sweep, app.lab.maxCombinations, 'body.spec');
    return { valid: true, spec: sweep };
  });

  // Counts every combination but returns one page; planning yields the event loop as it goes.
  app.post('/sweeps/plan', viewer, async (request) => {
    const { spec, offset, limit } = parseInput(planSweepRequestSchema, request.body, 'body');
    let estimatedSeconds = 0;
    const plan = await planSweepPage(spec, {
      db: app.db,
      maxCombinations: app.lab.maxCombinations,
      offset,
      limit,
      onRun: (run) => void (estimatedSeconds += runSeconds(run.spec)),
    });
    return { ...plan, estimatedSeconds: Math.round(estimatedSeconds) };
  });
};
