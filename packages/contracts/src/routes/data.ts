/** Browsing the lottery tables: tables → games → series, previews, panels and profiles. */
import {
  gameParams,
  listGamesResponseSchema,
  listSeriesResponseSchema,
  listTablesQuery,
  listTablesResponseSchema,
  panelQuery,
  panelResponseSchema,
  previewQuery,
  previewResponseSchema,
  profileQuery,
  profileResponseSchema,
  tableParams,
} from '../api/data.js';
import { defineRoute } from './define.js';

/** Data routes (viewer role). */
export const DATA_ROUTES = {
  listTables: defineRoute({
    method: 'GET',
    path: '/data/tables',
    summary: 'panel tables',
    access: 'viewer',
    query: listTablesQuery,
    response: listTablesResponseSchema,
  }),
  listGames: defineRoute({
    method: 'GET',
    path: '/data/tables/:table/games',
    summary: 'games of a table',
    access: 'viewer',
    params: tableParams,
    response: listGamesResponseSchema,
  }),
  listSeries: defineRoute({
    method: 'GET',
    path: '/data/tables/:table/games/:loto/series',
    summary: 'series of a game',
    access: 'viewer',
    params: gameParams,
    response: listSeriesResponseSchema,
  }),
  previewTable: defineRoute({
    method: 'GET',
    path: '/data/tables/:table/preview',
    summary: 'first rows',
    access: 'viewer',
    params: tableParams,
    query: previewQuery,
    response: previewResponseSchema,
  }),
  panel: defineRoute({
    method: 'GET',
    path: '/data/tables/:table/panel',
    summary: 'series as arrays with exogenous columns',
    access: 'viewer',
    params: tableParams,
    query: panelQuery,
    response: panelResponseSchema,
  }),
  profile: defineRoute({
    method: 'GET',
    path: '/data/tables/:table/profile',
    summary: 'data-quality profile',
    access: 'viewer',
    params: tableParams,
    query: profileQuery,
    response: profileResponseSchema,
  }),
} as const;
