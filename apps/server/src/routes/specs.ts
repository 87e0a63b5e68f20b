import type { FastifyPluginAsync } from 'fastify';
import { checkSweepSize, parseRunSpec, parseSweepSpec, SPEC_ROUTES, specJsonSchemas } from '@nflab/contracts';
import { planSweepPage } from '@nflab/runner';
import { runSeconds } from '../plan-estimate.js';
import { attach } from './attach.js';

/** Spec JSON Schemas, validation and the sweep plan preview (viewer: nothing is started). */
export const specRoutes: FastifyPluginAsync = async (app) => {
  const schemas = specJsonSchemas();
  attach(app, SPEC_ROUTES.runSpecSchema, async () => schemas['run-spec.schema.json']);
  attach(app, SPEC_ROUTES.sweepSpecSchema, async () => schemas['sweep-spec.schema.json']);

  attach(app, SPEC_ROUTES.validateSpec, async ({ body }) => {
    const { kind, spec } = body;
    if (kind === 'run') return { valid: true, spec: parseRunSpec(spec, 'body.spec') };
    const sweep = parseSweepSpec(spec, 'body.spec');
    // A sweep the lab would refuse to plan is not valid here either.
    checkSweepSize(sweep, app.lab.maxCombinations, 'body.spec');
    return { valid: true, spec: sweep };
  });

  // Counts every combination but returns one page; planning yields the event loop as it goes.
  attach(app, SPEC_ROUTES.planSweep, async ({ body }) => {
    const { spec, offset, limit } = body;
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
