/**
 * Defining a monitor: every field checked (the table and game against the data, the cron text,
 * the run to retrain) before it is stored with its first firing, so a stored monitor can run.
 */
import { ConfigError, type PAdjustMethod } from '@nflab/contracts';
import {
  insertMonitor,
  listGames,
  type DataScope,
  type Db,
  type MonitorRow,
  type Queryable,
} from '@nflab/store';
import { loadParentModel } from '../execute/parent-model.js';
import { nextCronRun } from './cron.js';

/** What a monitor checks, when, and what it does on drift. */
export interface MonitorDefinition {
  /** Letters, digits, `_`, `.`, `-`; at most 63 (it labels a metric). */
  readonly name: string;
  readonly table: string;
  /** @default the table's only game */
  readonly loto?: string;
  readonly uniqueIds?: readonly string[];
  readonly columns?: readonly string[];
  readonly cron: string;
  /** The last this-many draws at check time. @default 50 */
  readonly currentDraws?: number;
  /** The this-many draws before them. @default 200 */
  readonly referenceDraws?: number;
  /** @default 0.01 */
  readonly pValue?: number;
  readonly psi?: number;
  /** @default 'holm' */
  readonly pAdjust?: PAdjustMethod;
  /** A finished run that saved a model: refit on drift. */
  readonly retrainRunId?: string;
  /** http(s) URL that receives each alert as a JSON POST. */
  readonly webhookUrl?: string;
  readonly createdBy?: string;
}

/** Where the definition is checked and stored. */
export interface DefineMonitorOptions {
  readonly db: Db;
  /** The connection data tables are read through. @default db */
  readonly data?: Queryable;
  readonly scope?: DataScope;
  /** @default new Date() */
  readonly now?: Date;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

const draws = (value: number, field: string): number => {
  if (!(Number.isInteger(value) && value >= 2))
    throw new ConfigError(`${field} must be a whole number of draws ≥ 2, got ${String(value)}`);
  return value;
};

const webhook = (value: string): string => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`webhook ${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(`webhook must be an http or https URL, got ${url.protocol}`);
  return url.toString();
};

const gameOf = async (data: Queryable, definition: MonitorDefinition, scope?: DataScope): Promise<string> => {
  const games = await listGames(data, definition.table, scope);
  if (definition.loto !== undefined) {
    if (!games.includes(definition.loto))
      throw new ConfigError(
        `${definition.table} holds no rows of loto ${definition.loto} (games: ${games.join(', ') || 'none'})`,
      );
    return definition.loto;
  }
  if (games.length === 1) return games[0]!;
  throw new ConfigError(
    `${definition.table} holds ${games.length === 0 ? 'no games' : `games ${games.join(', ')}`}; choose one with loto`,
  );
};

/** Checks a definition and stores it with its first firing; a taken name is a ConflictError. */
export const defineMonitor = async (
  definition: MonitorDefinition,
  options: DefineMonitorOptions,
): Promise<MonitorRow> => {
  if (!NAME.test(definition.name))
    throw new ConfigError(
      `monitor name ${JSON.stringify(definition.name)}: use letters, digits, _ . - (at most 63, starting with a letter or digit)`,
    );
  const { pValue, psi } = definition;
  if (pValue !== undefined && !(pValue > 0 && pValue < 1))
    throw new ConfigError(`p-value must be in (0, 1), got ${String(pValue)}`);
  if (psi !== undefined && !(Number.isFinite(psi) && psi > 0))
    throw new ConfigError(`psi must be a finite number > 0, got ${String(psi)}`);
  const next = nextCronRun(definition.cron, options.now ?? new Date());
  const loto = await gameOf(options.data ?? options.db, definition, options.scope);
  if (definition.retrainRunId !== undefined) await loadParentModel(options.db, definition.retrainRunId);
  return insertMonitor(options.db, {
    name: definition.name,
    table_name: definition.table,
    loto,
    unique_ids: definition.uniqueIds ?? null,
    columns: definition.columns ?? null,
    current_draws: draws(definition.currentDraws ?? 50, 'current draws'),
    reference_draws: draws(definition.referenceDraws ?? 200, 'reference draws'),
    ...(definition.pValue === undefined ? {} : { p_value: definition.pValue }),
    psi: definition.psi ?? null,
    ...(definition.pAdjust === undefined ? {} : { p_adjust: definition.pAdjust }),
    cron: definition.cron,
    retrain_run_id: definition.retrainRunId ?? null,
    webhook_url: definition.webhookUrl === undefined ? null : webhook(definition.webhookUrl),
    created_by: definition.createdBy ?? null,
    next_run_at: next,
  });
};
