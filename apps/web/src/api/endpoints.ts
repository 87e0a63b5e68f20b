/**
 * Typed functions for every API route the UI uses, one line each over {@link call}: method, path
 * and types come from the route descriptions in `@nflab/contracts` (`API_ROUTES`).
 */
import {
  API_ROUTES as R,
  type CompareRunsRequest,
  type CreateMonitorRequest,
  type EnsembleOptionsInput,
  type ExogenousAnalysisRequest,
  type ImportanceMethod,
  type RunAnomaliesRequest,
  type SweepSpecInput,
  type TableDriftRequest,
} from '@nflab/contracts';
import { call, routeUrl } from './call.js';
import type { ApiQuery, RegistryStage } from './types.js';

/** Every call of the lab API. */
export const api = {
  login: (username: string, password: string) => call(R.login, { body: { username, password } }),
  logout: () => call(R.logout),
  me: () => call(R.me),
  ready: () => call(R.ready),

  tables: (pattern?: string) => call(R.listTables, { query: { pattern } }),
  games: (name: string) => call(R.listGames, { params: { table: name } }),
  series: (name: string, loto: string) => call(R.listSeries, { params: { table: name, loto } }),
  preview: (name: string, loto: string, limit = 20) =>
    call(R.previewTable, { params: { table: name }, query: { loto, limit } }),
  panel: (name: string, query: { loto: string; uniqueIds: readonly string[]; columns: readonly string[] }) =>
    call(R.panel, {
      params: { table: name },
      query: { loto: query.loto, unique_ids: query.uniqueIds.join(','), columns: query.columns.join(',') },
    }),
  profile: (name: string, loto: string) => call(R.profile, { params: { table: name }, query: { loto } }),

  models: () => call(R.listModels),
  vocabulary: () => call(R.getVocabulary),
  validateSpec: (kind: 'run' | 'sweep', spec: unknown) =>
    call(R.validateSpec, { body: { kind, spec: spec as Record<string, unknown> } }),
  /** One page of a sweep's plan (every count, runs and invalid combinations `offset …` of it). */
  planSweep: (spec: SweepSpecInput, page: { offset: number; limit: number } = { offset: 0, limit: 100 }) =>
    call(R.planSweep, { body: { spec, ...page } }),
  startSweep: (spec: SweepSpecInput, name?: string) => call(R.startSweep, { body: { name, spec } }),

  sweeps: (query: ApiQuery<'listSweeps'> = {}) => call(R.listSweeps, { query }),
  sweep: (id: string) => call(R.getSweep, { params: { id } }),
  cancelSweep: (id: string) => call(R.cancelSweep, { params: { id } }),
  resumeSweep: (id: string) => call(R.resumeSweep, { params: { id } }),
  leaderboard: (id: string, query: ApiQuery<'sweepLeaderboard'> = {}) =>
    call(R.sweepLeaderboard, { params: { id }, query }),
  compareRuns: (body: CompareRunsRequest) => call(R.compareRuns, { body }),
  exogenous: (table: string, body: ExogenousAnalysisRequest) =>
    call(R.exogenousAnalysis, { params: { table }, body }),
  /** The stored analyses (comparisons …) that read run `id`, newest first. */
  runAnalyses: (id: string, limit?: number) => call(R.runAnalyses, { params: { id }, query: { limit } }),
  storedAnalysis: (id: number) => call(R.storedAnalysis, { params: { id } }),

  runs: (query: ApiQuery<'listRuns'>) => call(R.listRuns, { query }),
  run: (id: string) => call(R.getRun, { params: { id } }),
  trials: (id: string) => call(R.listTrials, { params: { id } }),
  stepMetrics: (id: string, afterId?: string | number) =>
    call(R.listStepMetrics, { params: { id }, query: { after_id: afterId } }),
  resources: (id: string, afterId?: string | number) =>
    call(R.listResources, { params: { id }, query: { after_id: afterId } }),
  predictions: (id: string) => call(R.listPredictions, { params: { id }, query: { kind: 'forecast' } }),
  cv: (id: string) => call(R.listCv, { params: { id } }),
  importance: (id: string) => call(R.listImportance, { params: { id } }),
  artifacts: (id: string) => call(R.listArtifacts, { params: { id } }),
  artifactUrl: (id: string, artifactId: string | number) => routeUrl(R.downloadArtifact, { id, artifactId }),
  cancelRun: (id: string) => call(R.cancelRun, { params: { id } }),
  /** Sets and removes tags of run `id`; answers all its tags afterwards. */
  updateRunTags: (id: string, body: { set?: Record<string, string>; remove?: string[] }) =>
    call(R.updateRunTags, { params: { id }, body }),
  predict: (id: string, latestData = true) =>
    call(R.predict, { params: { id }, body: { latest_data: latestData } }),
  refit: (id: string) => call(R.refit, { params: { id }, body: {} }),
  crossValidate: (id: string, body: { n_windows: number; step_size: number; refit: boolean }) =>
    call(R.crossValidate, { params: { id }, body }),
  startImportance: (id: string, method: ImportanceMethod) =>
    call(R.importance, { params: { id }, body: { method } }),
  /** Queues an ensemble of finished runs; answers the new run's id. */
  startEnsemble: (body: EnsembleOptionsInput) => call(R.startEnsemble, { body }),
  /** An ensemble run's members and weights, and the ensembles run `id` is a member of. */
  runEnsemble: (id: string) => call(R.runEnsemble, { params: { id } }),
  audit: (query: ApiQuery<'listAudit'>) => call(R.listAudit, { query }),

  /** Runs a drift check of one game of `table` between two windows (stored and audited). */
  checkTableDrift: (table: string, body: TableDriftRequest) =>
    call(R.tableDriftCheck, { params: { table }, body }),
  /** The newest stored drift check of one game of `table`. */
  tableDriftChecks: (table: string, loto: string) =>
    call(R.tableDriftChecks, { params: { table }, query: { loto } }),
  /** Scores run `id`'s residuals with one detector (replacing that detector's stored anomalies). */
  detectRunAnomalies: (id: string, body: RunAnomaliesRequest) =>
    call(R.runAnomalies, { params: { id }, body }),
  runAnomalies: (id: string) => call(R.runAnomalyList, { params: { id } }),
  /** Where run `id`'s exports to W&B (and MLflow) stand. */
  runExports: (id: string) => call(R.listRunExports, { params: { id } }),
  /** Makes run `id`'s failed or waiting exports due again. */
  retryRunExports: (id: string) => call(R.retryRunExports, { params: { id } }),
  /** Archived reports of a run or a sweep, newest first. */
  reports: (query: ApiQuery<'listReports'>) => call(R.listReports, { query }),
  /** Makes and archives run `id`'s report. */
  createRunReport: (id: string, format: 'html' | 'pdf') =>
    call(R.createRunReport, { params: { id }, body: { format } }),
  /** Makes and archives sweep `id`'s report (its leaderboard with the default settings). */
  createSweepReport: (id: string, format: 'html' | 'pdf') =>
    call(R.createSweepReport, { params: { id }, body: { format } }),
  createCompareReport: (id: number, format: 'html' | 'pdf') =>
    call(R.createCompareReport, { params: { id }, body: { format } }),
  /** Where report `id` downloads from. */
  reportUrl: (id: number) => routeUrl(R.downloadReport, { id }),

  monitors: () => call(R.listMonitors),
  monitor: (name: string) => call(R.getMonitor, { params: { name } }),
  createMonitor: (body: CreateMonitorRequest) => call(R.createMonitor, { body }),
  runMonitorNow: (name: string) => call(R.runMonitorNow, { params: { name } }),
  deleteMonitor: (name: string) => call(R.deleteMonitor, { params: { name } }),
  promote: (id: string, stage: RegistryStage, alias?: string) =>
    call(R.promote, { params: { id }, body: { stage, alias } }),

  /** Every registered model with its newest version per stage and its aliases. */
  registry: () => call(R.listRegistry),
  /** A registered model, its versions (newest first) and who moved what when. */
  registeredModel: (name: string) => call(R.getRegisteredModel, { params: { name } }),
  /** Moves a version to a stage (into or out of prod: admins only). */
  setRegistryStage: (name: string, version: number, stage: RegistryStage) =>
    call(R.setRegistryStage, { params: { name, version }, body: { stage } }),
  /** Points `alias` at a version. */
  setRegistryAlias: (name: string, alias: string, version: number) =>
    call(R.setRegistryAlias, { params: { name, alias }, body: { version } }),
  deleteRegistryAlias: (name: string, alias: string) =>
    call(R.deleteRegistryAlias, { params: { name, alias } }),
  /** Forecasts with the version `alias` names (a new run). */
  predictRegistered: (name: string, alias: string) =>
    call(R.predictRegistered, { params: { name }, body: { alias } }),
  /** Champion vs challenger: two aliases on their most recent shared points, with the A/B power analysis. */
  compareRegistry: (name: string, query: ApiQuery<'compareRegistryAliases'>) =>
    call(R.compareRegistryAliases, { params: { name }, query }),
  /** Where a version's model card is served (`format` html for the frame, md to download). */
  registryCardUrl: (name: string, version: number, format: 'md' | 'html') =>
    `${routeUrl(R.getRegistryCard, { name, version })}?format=${format}`,
} as const;
