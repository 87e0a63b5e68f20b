/** Spec JSON Schemas, spec validation and the sweep plan preview (nothing is started). */
import {
  planSweepRequestSchema,
  planSweepResponseSchema,
  validateSpecRequestSchema,
  validateSpecResponseSchema,
} from '../api/sweeps.js';
import { anyJsonSchema, defineRoute } from './define.js';

/** Spec routes (viewer role). */
export const SPEC_ROUTES = {
  runSpecSchema: defineRoute({
    method: 'GET',
    path: '/schemas/run-spec',
    summary: 'run spec JSON Schema',
    access: 'viewer',
    response: anyJsonSchema,
  }),
  sweepSpecSchema: defineRoute({
    method: 'GET',
    path: '/schemas/sweep-spec',
    summary: 'sweep spec JSON Schema',
    access: 'viewer',
    response: anyJsonSchema,
  }),
  validateSpec: defineRoute({
    method: 'POST',
    path: '/specs/validate',
    summary: 'validate a run or sweep spec',
    access: 'viewer',
    body: validateSpecRequestSchema,
    response: validateSpecResponseSchema,
  }),
  planSweep: defineRoute({
    method: 'POST',
    path: '/sweeps/plan',
    summary: 'expand and check a sweep without starting it',
    access: 'viewer',
    body: planSweepRequestSchema,
    response: planSweepResponseSchema,
  }),
} as const;
