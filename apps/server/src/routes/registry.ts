import type { FastifyPluginAsync } from 'fastify';
import { analysisRoutes } from './analysis.js';
import { auditRoutes } from './audit.js';
import { authRoutes } from './auth.js';
import { dataRoutes } from './data.js';
import { driftRoutes } from './drift.js';
import { eventRoutes } from './events.js';
import { healthRoutes } from './health.js';
import { mlflowArtifactRoutes } from './mlflow-artifacts.js';
import { mlflowRegistryRoutes } from './mlflow-registry.js';
import { mlflowTrackingRoutes } from './mlflow-tracking.js';
import { modelRegistryRoutes } from './model-registry.js';
import { modelRoutes } from './models.js';
import { monitorRoutes } from './monitors.js';
import { openApiRoutes } from './openapi.js';
import { runActionRoutes } from './run-actions.js';
import { reportRoutes } from './reports.js';
import { runExportRoutes } from './run-exports.js';
import { runRoutes } from './runs.js';
import { specRoutes } from './specs.js';
import { sweepRoutes } from './sweeps.js';
import { userRoutes } from './users.js';
import { vocabularyRoutes } from './vocabulary.js';

/** Every route plugin, one line each; all are mounted under `/api`. */
export const ROUTES = {
  health: healthRoutes,
  openapi: openApiRoutes,
  auth: authRoutes,
  users: userRoutes,
  data: dataRoutes,
  models: modelRoutes,
  vocabulary: vocabularyRoutes,
  specs: specRoutes,
  runs: runRoutes,
  sweeps: sweepRoutes,
  analysis: analysisRoutes,
  drift: driftRoutes,
  monitors: monitorRoutes,
  runActions: runActionRoutes,
  runExports: runExportRoutes,
  reports: reportRoutes,
  modelRegistry: modelRegistryRoutes,
  events: eventRoutes,
  audit: auditRoutes,
  mlflowTracking: mlflowTrackingRoutes,
  mlflowRegistry: mlflowRegistryRoutes,
  mlflowArtifacts: mlflowArtifactRoutes,
} as const satisfies Record<string, FastifyPluginAsync>;

/** The MLflow-compatible plugins, which MLflow's web UI also reaches under `/ajax-api`. */
export const MLFLOW_ROUTE_PLUGINS = [ROUTES.mlflowTracking, ROUTES.mlflowRegistry, ROUTES.mlflowArtifacts];
