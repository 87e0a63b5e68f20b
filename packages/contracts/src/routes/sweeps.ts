/** Sweeps with their run counts (read-only). */
import {
  listSweepsQuerySchema,
  listSweepsResponseSchema,
  sweepParamsSchema,
  sweepSchema,
} from '../api/sweeps.js';
import { defineRoute } from './define.js';

/** Sweep read routes (viewer role). */
export const SWEEP_ROUTES = {
  listSweeps: defineRoute({
    method: 'GET',
    path: '/sweeps',
    summary: 'sweeps, newest first',
    access: 'viewer',
    query: listSweepsQuerySchema,
    response: listSweepsResponseSchema,
  }),
  getSweep: defineRoute({
    method: 'GET',
    path: '/sweeps/:id',
    summary: 'a sweep with its run counts',
    access: 'viewer',
    params: sweepParamsSchema,
    response: sweepSchema,
  }),
} as const;
