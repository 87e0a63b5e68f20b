/**
 * Types of the lab API, from the route descriptions and zod schemas of the contracts (type-only
 * imports): the named shapes the pages use. Nothing here is written by hand.
 */
import type {
  API_ROUTES,
  CompareRunsDto,
  ExogenousAnalysisDto,
  FeatureImportanceDto,
  LeaderboardDto,
  MonitorDetailDto,
  MonitorDto,
  MonitorRunDto,
  RunAnomaliesDto,
  TableDriftDto,
  TableDriftChecksDto,
  AuditEntryDto,
  cvResultSchema,
  inputIssueSchema,
  LabEventDto,
  ModelInfoDto,
  panelSeriesSchema,
  predictionSchema,
  previewResponseSchema,
  ProfileDto,
  REGISTRY_STAGE_IDS,
  ResourceSampleDto,
  RunDetailDto,
  RunEnsembleDto,
  RunListItemDto,
  RouteRequest,
  RouteResponse,
  RunStatusId,
  StepMetricDto,
  storedAnalysisItemSchema,
  SweepDto,
  TrialDto,
  UserDto,
  UserRole,
  VocabularyDto,
} from '@nflab/contracts';
import type { z } from 'zod';

export type { LabEventDto as LabEvent };
/** Every described route, by name. */
export type ApiRoutes = typeof API_ROUTES;
/** The query a route takes (`z.input` of its query schema). */
export type ApiQuery<Name extends keyof ApiRoutes> = NonNullable<RouteRequest<ApiRoutes[Name]>['query']>;
/** What a route answers (`z.output` of its response schema). */
export type ApiResponse<Name extends keyof ApiRoutes> = RouteResponse<ApiRoutes[Name]>;
/** One audit log entry. */
export type AuditEntry = AuditEntryDto;
/** A user's role. */
export type Role = UserRole;
/** The signed-in user. */
export type User = UserDto;
/** A run or sweep status. */
export type RunStatus = RunStatusId;
/** `GET /api/data/tables/:table/preview`. */
export type PreviewResponse = z.infer<typeof previewResponseSchema>;
/** One series of the panel route. */
export type PanelSeries = z.infer<typeof panelSeriesSchema>;
/** The data-quality profile of one game. */
export type DataProfile = ProfileDto;
/** A model of the engine registry. */
export type ModelInfo = ModelInfoDto;
/** One field that was wrong in a request. */
export type InputIssue = z.infer<typeof inputIssueSchema>;
/** `POST /api/sweeps/plan`. */
export type SweepPlan = ApiResponse<'planSweep'>;
/** A row of nf_sweeps. */
export type Sweep = SweepDto;
/** A page of sweeps. */
export type SweepPage = ApiResponse<'listSweeps'>;
/** A row of the run history. */
export type RunListItem = RunListItemDto;
/** A page of the run history. */
export type RunPage = ApiResponse<'listRuns'>;
/** Every column of one run. */
export type RunDetail = RunDetailDto;
/** A trial of a run's search. */
export type Trial = TrialDto;
/** A recorded training step. */
export type StepMetric = StepMetricDto;
/** A resource-monitor sample. */
export type ResourceSample = ResourceSampleDto;
/** A forecast row: `model || suffix` is NeuralForecast's output column. */
export type PredictionRow = z.infer<typeof predictionSchema>;
/** A cross-validation row. */
export type CvRow = z.infer<typeof cvResultSchema>;
/** A registry stage. */
export type RegistryStage = (typeof REGISTRY_STAGE_IDS)[number];
/** A registered model's detail: the model, its versions (newest first) and its history. */
export type RegisteredModelDetail = ApiResponse<'getRegisteredModel'>;
/** One version of a registered model. */
export type RegistryVersion = RegisteredModelDetail['entries'][number];

/** The loss registry and the metric ids (`GET /api/vocabulary`). */
export type Vocabulary = VocabularyDto;
/** A sweep's leaderboard. */
export type Leaderboard = LeaderboardDto;
/** A stored comparison of runs. */
export type RunComparisonResult = CompareRunsDto;
/** A stored exogenous analysis of a table. */
export type ExogenousAnalysis = ExogenousAnalysisDto['analysis'];
/** One importance value of an importance run. */
export type FeatureImportance = FeatureImportanceDto;
/** An ensemble run's members and the ensembles a run is in (`GET /api/runs/:id/ensemble`). */
export type RunEnsemble = RunEnsembleDto;
/** A stored analysis that read a run, listed without its result. */
export type StoredAnalysisItem = z.infer<typeof storedAnalysisItemSchema>;
/** A scheduled monitor with its newest execution. */
export type Monitor = MonitorDto;
/** One execution of a monitor. */
export type MonitorRun = MonitorRunDto;
/** A monitor with its recent executions and alerts. */
export type MonitorDetail = MonitorDetailDto;
/** A drift check just run. */
export type TableDrift = TableDriftDto;
/** A stored drift check with its statistics. */
export type StoredDriftCheck = TableDriftChecksDto['checks'][number];
/** A residual-anomaly detection just run. */
export type RunAnomalies = RunAnomaliesDto;
