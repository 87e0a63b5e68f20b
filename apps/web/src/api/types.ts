/**
 * Response shapes of the lab API, inferred from the contracts' zod schemas (type-only imports: the
 * schemas themselves stay on the server). Shapes the contracts give without a named type are
 * inferred here with `z.infer`.
 */
import type {
  AuditEntryDto,
  apiTokenSchema,
  artifactSchema,
  cvResultSchema,
  inputIssueSchema,
  LabEventDto,
  listRunsResponseSchema,
  listSweepsResponseSchema,
  ModelInfoDto,
  panelSeriesSchema,
  planSweepResponseSchema,
  predictionSchema,
  ProfileDto,
  REGISTRY_STAGE_IDS,
  registryEntrySchema,
  ResourceSampleDto,
  RunDetailDto,
  RunListItemDto,
  RunStatusId,
  StepMetricDto,
  startSweepResponseSchema,
  SweepDto,
  TrialDto,
  UserDto,
  UserRole,
  validateSpecResponseSchema,
  VocabularyDto,
} from '@nflab/contracts';
import type { z } from 'zod';

export type { LabEventDto as LabEvent };
/** One audit log entry. */
export type AuditEntry = AuditEntryDto;
/** A user's role. */
export type Role = UserRole;
/** The signed-in user. */
export type User = UserDto;
/** A run or sweep status. */
export type RunStatus = RunStatusId;
/** A table or view the data routes list. */
export interface TableEntry {
  readonly name: string;
  readonly kind: string;
}
/** One series (unique_id) of a game. */
export interface SeriesSummary {
  readonly uniqueId: string;
  readonly rows: number;
  readonly start: string;
  readonly end: string;
}
/** `GET /api/data/tables/:table/preview`. */
export interface PreviewResponse {
  readonly table: string;
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, unknown>[];
}
/** One series of the panel route. */
export type PanelSeries = z.infer<typeof panelSeriesSchema>;
/** The data-quality profile of one game. */
export type DataProfile = ProfileDto;
/** A model of the engine registry. */
export type ModelInfo = ModelInfoDto;
/** One field that was wrong in a request. */
export type InputIssue = z.infer<typeof inputIssueSchema>;
/** `POST /api/specs/validate` (valid answer). */
export type ValidateResponse = z.infer<typeof validateSpecResponseSchema>;
/** `POST /api/sweeps/plan`. */
export type SweepPlan = z.infer<typeof planSweepResponseSchema>;
/** `POST /api/sweeps`. */
export type SweepCreated = z.infer<typeof startSweepResponseSchema>;
/** A row of nf_sweeps. */
export type Sweep = SweepDto;
/** A page of sweeps. */
export type SweepPage = z.infer<typeof listSweepsResponseSchema>;
/** A row of the run history. */
export type RunListItem = RunListItemDto;
/** A page of the run history. */
export type RunPage = z.infer<typeof listRunsResponseSchema>;
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
/** A file a run wrote. */
export type Artifact = z.infer<typeof artifactSchema>;
/** A registry stage. */
export type RegistryStage = (typeof REGISTRY_STAGE_IDS)[number];
/** A model-registry row. */
export type RegistryEntry = z.infer<typeof registryEntrySchema>;
/** An API token without its secret. */
export type ApiToken = z.infer<typeof apiTokenSchema>;

/** The loss registry and the metric ids (`GET /api/vocabulary`). */
export type Vocabulary = VocabularyDto;
