/** Monitor routes (issue 16): scheduled drift checks of a data table, as `nflab monitor add|ls|run|rm` over the API. */
import {
  createMonitorRequestSchema,
  listMonitorsResponseSchema,
  monitorDetailSchema,
  monitorParamsSchema,
  monitorRunsQuerySchema,
  monitorRunsResponseSchema,
  monitorSchema,
  runMonitorResponseSchema,
} from '../api/monitors.js';
import { defineRoute } from './define.js';

/** Monitors: read by viewers; defined, run now and removed by editors (audited). */
export const MONITOR_ROUTES = {
  listMonitors: defineRoute({
    method: 'GET',
    path: '/monitors',
    summary: 'every scheduled monitor with its schedule, windows, thresholds and newest execution',
    access: 'viewer',
    response: listMonitorsResponseSchema,
  }),
  createMonitor: defineRoute({
    method: 'POST',
    path: '/monitors',
    summary:
      "define a monitor: a table's last M draws against the N before them on a cron schedule (UTC), with thresholds, an optional refit and webhook",
    access: 'editor',
    body: createMonitorRequestSchema,
    status: 201,
    response: monitorSchema,
  }),
  getMonitor: defineRoute({
    method: 'GET',
    path: '/monitors/:name',
    summary: 'a monitor with its recent executions and alerts',
    access: 'viewer',
    params: monitorParamsSchema,
    response: monitorDetailSchema,
  }),
  listMonitorRuns: defineRoute({
    method: 'GET',
    path: '/monitors/:name/runs',
    summary: "a monitor's executions, newest first (optionally only one outcome)",
    access: 'viewer',
    params: monitorParamsSchema,
    query: monitorRunsQuerySchema,
    response: monitorRunsResponseSchema,
  }),
  runMonitorNow: defineRoute({
    method: 'POST',
    path: '/monitors/:name/run',
    summary: 'check a monitor now, recorded like a scheduled check (its schedule is unchanged)',
    access: 'editor',
    params: monitorParamsSchema,
    response: runMonitorResponseSchema,
  }),
  deleteMonitor: defineRoute({
    method: 'DELETE',
    path: '/monitors/:name',
    summary: 'remove a monitor and its recorded executions (its drift checks stay)',
    access: 'editor',
    params: monitorParamsSchema,
    status: 204,
  }),
} as const;
