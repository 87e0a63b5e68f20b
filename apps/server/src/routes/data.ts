import type { FastifyError, FastifyPluginAsync } from 'fastify';
import { DATA_ROUTES, LabError } from '@nflab/contracts';
import { listGames, listSeries, listTables, previewRows, validateLikePattern } from '@nflab/store';
import { errorHandler } from '../errors.js';
import { panelSeries } from '../data/panel.js';
import { profileTable } from '../data/profile.js';
import { attach } from './attach.js';

/**
 * Browse the lottery tables: tables → games → series, and a preview of rows. Only data tables of
 * the lab's data scope answer (never the lab's own tables or system catalogs), read through
 * `app.dataDb` (the read-only data connection when one is configured).
 */
export const dataRoutes: FastifyPluginAsync = async (app) => {
  const scope = app.lab.dataScope;
  // A read-only data role without SELECT on a table (SQLSTATE 42501, the StoreError's cause) is a setup gap,
  // not a server fault: 403 naming the table and the grant, then the lab's one error handler.
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const sqlState = (error.cause as { code?: unknown } | undefined)?.code;
    if (sqlState !== '42501') return errorHandler(error, request, reply);
    const table = (request.params as { table?: unknown }).table;
    const denied = new LabError(
      'forbidden',
      `the data connection (NFLAB_DATA_DATABASE_URL) may not read table ${JSON.stringify(table)}: ` +
        'GRANT SELECT on it to the data role',
    );
    return errorHandler(denied, request, reply);
  });
  attach(app, DATA_ROUTES.listTables, async ({ query }) => {
    const pattern =
      query.pattern === undefined ? undefined : validateLikePattern(query.pattern, 'query.pattern');
    return { tables: await listTables(app.dataDb, { pattern, scope }) };
  });

  attach(app, DATA_ROUTES.listGames, async ({ params }) => {
    const { table } = params;
    return { table, games: await listGames(app.dataDb, table, scope) };
  });

  attach(app, DATA_ROUTES.listSeries, async ({ params }) => {
    const { table, loto } = params;
    return { table, loto, series: await listSeries(app.dataDb, table, loto, scope) };
  });

  attach(app, DATA_ROUTES.previewTable, async ({ params, query }) => {
    const { table } = params;
    const { loto, limit } = query;
    return { table, ...(await previewRows(app.dataDb, { table, loto, limit, scope })) };
  });

  attach(app, DATA_ROUTES.panel, async ({ params, query }) => {
    const { table } = params;
    return panelSeries(app.dataDb, {
      table,
      scope,
      loto: query.loto,
      uniqueIds: query.unique_ids,
      columns: query.columns,
    });
  });

  attach(app, DATA_ROUTES.profile, async ({ params, query }) => {
    const { table } = params;
    const { loto } = query;
    return profileTable(app.dataDb, table, loto, scope);
  });
};
