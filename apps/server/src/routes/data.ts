import type { FastifyPluginAsync } from 'fastify';
import {
  gameParams,
  listTablesQuery,
  panelQuery,
  parseInput,
  previewQuery,
  profileQuery,
  tableParams,
} from '@nflab/contracts';
import { listGames, listSeries, listTables, previewRows } from '@nflab/store';
import { panelSeries } from '../data/panel.js';
import { profileTable } from '../data/profile.js';

/** Browse the lottery tables: tables → games → series, and a preview of rows. */
export const dataRoutes: FastifyPluginAsync = async (app) => {
  const viewer = { config: { access: 'viewer' as const } };

  app.get('/data/tables', viewer, async (request) => {
    const { pattern } = parseInput(listTablesQuery, request.query, 'query');
    return { tables: await listTables(app.db, { pattern }) };
  });

  app.get('/data/tables/:table/games', viewer, async (request) => {
    const { table } = parseInput(tableParams, request.params, 'path');
    return { table, games: await listGames(app.db, table) };
  });

  app.get('/data/tables/:table/games/:loto/series', viewer, async (request) => {
    const { table, loto } = parseInput(gameParams, request.params, 'path');
    return { table, loto, series: await listSeries(app.db, table, loto) };
  });

  app.get('/data/tables/:table/preview', viewer, async (request) => {
    const { table } = parseInput(tableParams, request.params, 'path');
    const { loto, limit } = parseInput(previewQuery, request.query, 'query');
    return { table, ...(await previewRows(app.db, { table, loto, limit })) };
  });

  app.get('/data/tables/:table/panel', viewer, async (request) => {
    const { table } = parseInput(tableParams, request.params, 'path');
    const query = parseInput(panelQuery, request.query, 'query');
    return panelSeries(app.db, {
      table,
      loto: query.loto,
      uniqueIds: query.unique_ids,
      columns: query.columns,
    });
  });

  app.get('/data/tables/:table/profile', viewer, async (request) => {
    const { table } = parseInput(tableParams, request.params, 'path');
    const { loto } = parseInput(profileQuery, request.query, 'query');
    return profileTable(app.db, table, loto);
  });
};
