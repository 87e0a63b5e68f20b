/** Every API route of the lab, one description each (see define.ts); a new route is one entry in its group. */
import { ANALYSIS_ROUTES } from './analysis.js';
import { AUDIT_ROUTES } from './audit.js';
import { AUTH_ROUTES } from './auth.js';
import { DATA_ROUTES } from './data.js';
import { DRIFT_ROUTES } from './drift.js';
import type { RouteDescription } from './define.js';
import { EVENT_ROUTES } from './events.js';
import { HEALTH_ROUTES } from './health.js';
import { METRICS_ROUTES } from './metrics.js';
import {
  MLFLOW_ARTIFACT_ROUTES,
  MLFLOW_REGISTRY_ROUTES,
  MLFLOW_ROUTES,
  MLFLOW_TRACKING_ROUTES,
} from './mlflow.js';
import { MODEL_REGISTRY_ROUTES } from './model-registry.js';
import { MODEL_ROUTES } from './models.js';
import { MONITOR_ROUTES } from './monitors.js';
import { REPORT_ROUTES } from './reports.js';
import { OPENAPI_ROUTES } from './openapi.js';
import { RUN_ACTION_ROUTES } from './run-actions.js';
import { RUN_EXPORT_ROUTES } from './run-exports.js';
import { RUN_ROUTES } from './runs.js';
import { SPEC_ROUTES } from './specs.js';
import { SWEEP_ROUTES } from './sweeps.js';
import { USER_ROUTES } from './users.js';

export * from './define.js';
export {
  ANALYSIS_ROUTES,
  AUDIT_ROUTES,
  AUTH_ROUTES,
  DATA_ROUTES,
  DRIFT_ROUTES,
  EVENT_ROUTES,
  HEALTH_ROUTES,
  METRICS_ROUTES,
  MLFLOW_ARTIFACT_ROUTES,
  MLFLOW_REGISTRY_ROUTES,
  MLFLOW_ROUTES,
  MLFLOW_TRACKING_ROUTES,
  MODEL_REGISTRY_ROUTES,
  MODEL_ROUTES,
  MONITOR_ROUTES,
  OPENAPI_ROUTES,
  REPORT_ROUTES,
  RUN_ACTION_ROUTES,
  RUN_EXPORT_ROUTES,
  RUN_ROUTES,
  SPEC_ROUTES,
  SWEEP_ROUTES,
  USER_ROUTES,
};

/** Every API route by name, in the order the OpenAPI document lists them. */
export const API_ROUTES = {
  ...HEALTH_ROUTES,
  ...OPENAPI_ROUTES,
  ...AUTH_ROUTES,
  ...USER_ROUTES,
  ...AUDIT_ROUTES,
  ...DATA_ROUTES,
  ...MODEL_ROUTES,
  ...SPEC_ROUTES,
  ...RUN_ROUTES,
  ...SWEEP_ROUTES,
  ...ANALYSIS_ROUTES,
  ...DRIFT_ROUTES,
  ...MONITOR_ROUTES,
  ...RUN_ACTION_ROUTES,
  ...RUN_EXPORT_ROUTES,
  ...REPORT_ROUTES,
  ...MODEL_REGISTRY_ROUTES,
  ...EVENT_ROUTES,
} as const satisfies Record<string, RouteDescription>;

/** The name of an API route. */
export type ApiRouteName = keyof typeof API_ROUTES;

/**
 * Routes served outside `/api`, by name; their `path` is the whole path. Not in {@link API_ROUTES}
 * (nor the OpenAPI document): they are for other programs, not the lab's clients.
 */
export const ROOT_ROUTES = {
  ...METRICS_ROUTES,
} as const satisfies Record<string, RouteDescription>;
