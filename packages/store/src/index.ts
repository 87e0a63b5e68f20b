export * from './db.js';
export * from './observed-db.js';
export { openPglite, type PgliteDb, type PgliteOptions, type PgliteSnapshot } from './drivers/pglite.js';
export { openPostgres, type PostgresOptions } from './drivers/postgres.js';
export {
  migrate,
  migrationStatus,
  loadMigrations,
  migrationChecksum,
  MIGRATIONS_DIR,
  SCHEMA_VERSION_TABLE,
  type Migration,
  type AppliedMigration,
  type AppliedMigrationStatus,
  type MigrationIssue,
  type MigrationStatus,
  type MigrateOptions,
} from './migrate.js';
export {
  openDb,
  openDataReader,
  resolveDbTarget,
  DEFAULT_NFLAB_HOME,
  type OpenDbOptions,
  type OpenDataReaderOptions,
  type OpenedDb,
  type DbTarget,
} from './open.js';
export { poisson } from './loto/poisson.js';
export { choose, distinctPermutations, tierProbabilities } from './loto/odds.js';
export { SALES_MODELS, type SalesModel } from './loto/sales.js';
export { drawPrizes, type DrawPrizes, type DrawPrizesOptions } from './loto/prizes.js';
export { synthesizeDraws, drawDays, MAX_SYNTH_DRAWS, type SynthesizeOptions } from './loto/synth.js';
export * from './calendar/jp-holidays.js';
export * from './sql/identifiers.js';
export * from './sql/data-tables.js';
export * from './sql/like-pattern.js';
export type { Draw, PrizeTier } from './loto/draw.js';
export * from './loto/decode.js';
export * from './loto/csv.js';
export * from './loto/official-layout.js';
export * from './loto/validate-draw.js';
export * from './loto/parse-draws.js';
export { checkDrawOrder, type DrawOrderResult, type StoredDates } from './loto/draw-order.js';
export * from './loto/long-format.js';
export * from './loto/writer.js';
export * from './features/build-features.js';
export {
  featureColumns,
  featureDescriptions,
  DEFAULT_ROLLING_WINDOWS,
  type FeatureColumns,
} from './features/feature-sql.js';
export * from './features/future-calendar.js';
export {
  JP_HOLIDAYS_TABLE,
  refreshHolidayTable,
  holidayYears,
  type HolidayRange,
} from './features/holiday-table.js';
export * from './catalog.js';
export * from './panel/roles.js';
export * from './panel/load-panel.js';
export * from './schema/index.js';
export * from './study-storage/index.js';
export * from './audit/audit-log.js';
export * from './repos/index.js';
export * from './mlflow/errors.js';
export * from './mlflow/search-filter.js';
export * from './mlflow/registry-filter.js';
