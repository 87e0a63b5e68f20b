/** Typed functions for every API route the UI uses, one line each over {@link request}. */
import type { SweepSpecInput } from '@nflab/contracts';
import { request, type QueryValues } from './client.js';
import type {
  Artifact,
  AuditEntry,
  CvRow,
  DataProfile,
  ModelInfo,
  PanelSeries,
  PredictionRow,
  PreviewResponse,
  RegistryStage,
  ResourceSample,
  RunDetail,
  RunPage,
  RegistryEntry,
  SeriesSummary,
  StepMetric,
  Sweep,
  SweepPage,
  SweepCreated,
  SweepPlan,
  TableEntry,
  Trial,
  User,
  ValidateResponse,
  Vocabulary,
} from './types.js';

const enc = encodeURIComponent;
const table = (name: string): string => `/data/tables/${enc(name)}`;
const run = (id: string): string => `/runs/${enc(id)}`;

/** Every call of the lab API. */
export const api = {
  login: (username: string, password: string) =>
    request<{ user: User }>('/auth/login', { method: 'POST', body: { username, password } }),
  logout: () => request<void>('/auth/logout', { method: 'POST' }),
  me: () => request<{ user: User }>('/auth/me'),
  ready: () => request<Record<string, unknown>>('/ready'),

  tables: (pattern?: string) => request<{ tables: TableEntry[] }>('/data/tables', { query: { pattern } }),
  games: (name: string) => request<{ games: string[] }>(`${table(name)}/games`),
  series: (name: string, loto: string) =>
    request<{ series: SeriesSummary[] }>(`${table(name)}/games/${enc(loto)}/series`),
  preview: (name: string, loto: string, limit = 20) =>
    request<PreviewResponse>(`${table(name)}/preview`, { query: { loto, limit } }),
  panel: (name: string, query: { loto: string; uniqueIds: readonly string[]; columns: readonly string[] }) =>
    request<{ series: PanelSeries[] }>(`${table(name)}/panel`, {
      query: { loto: query.loto, unique_ids: query.uniqueIds.join(','), columns: query.columns.join(',') },
    }),
  profile: (name: string, loto: string) =>
    request<DataProfile>(`${table(name)}/profile`, { query: { loto } }),

  models: () => request<ModelInfo[]>('/models'),
  vocabulary: () => request<Vocabulary>('/vocabulary'),
  validateSpec: (kind: 'run' | 'sweep', spec: unknown) =>
    request<ValidateResponse>('/specs/validate', { method: 'POST', body: { kind, spec } }),
  /** One page of a sweep's plan (every count, runs and invalid combinations `offset …` of it). */
  planSweep: (spec: SweepSpecInput, page: { offset: number; limit: number } = { offset: 0, limit: 100 }) =>
    request<SweepPlan>('/sweeps/plan', { method: 'POST', body: { spec, ...page } }),
  startSweep: (spec: SweepSpecInput, name?: string) =>
    request<SweepCreated>('/sweeps', { method: 'POST', body: { name, spec } }),

  sweeps: (query: QueryValues = {}) => request<SweepPage>('/sweeps', { query }),
  sweep: (id: string) => request<Sweep>(`/sweeps/${enc(id)}`),
  cancelSweep: (id: string) =>
    request<{ cancelled: number; requested: number }>(`/sweeps/${enc(id)}/cancel`, { method: 'POST' }),
  resumeSweep: (id: string) => request<{ requeued: number }>(`/sweeps/${enc(id)}/resume`, { method: 'POST' }),

  runs: (query: QueryValues) => request<RunPage>('/runs', { query }),
  run: (id: string) => request<RunDetail>(run(id)),
  trials: (id: string) => request<Trial[]>(`${run(id)}/trials`),
  stepMetrics: (id: string, afterId?: string | number) =>
    request<StepMetric[]>(`${run(id)}/step-metrics`, { query: { after_id: afterId } }),
  resources: (id: string, afterId?: string | number) =>
    request<ResourceSample[]>(`${run(id)}/resources`, { query: { after_id: afterId } }),
  predictions: (id: string) =>
    request<PredictionRow[]>(`${run(id)}/predictions`, { query: { kind: 'forecast' } }),
  cv: (id: string) => request<CvRow[]>(`${run(id)}/cv`),
  artifacts: (id: string) => request<Artifact[]>(`${run(id)}/artifacts`),
  artifactUrl: (id: string, artifactId: string | number) =>
    `/api${run(id)}/artifacts/${enc(String(artifactId))}/download`,
  cancelRun: (id: string) =>
    request<{ cancelled: number; requested: number }>(`${run(id)}/cancel`, { method: 'POST' }),
  predict: (id: string, latestData = true) =>
    request<{ runId: string }>(`${run(id)}/predict`, { method: 'POST', body: { latest_data: latestData } }),
  refit: (id: string) => request<{ runId: string }>(`${run(id)}/refit`, { method: 'POST', body: {} }),
  crossValidate: (id: string, body: { n_windows: number; step_size: number; refit: boolean }) =>
    request<{ runId: string }>(`${run(id)}/cv`, { method: 'POST', body }),
  audit: (query: QueryValues) => request<{ items: AuditEntry[] }>('/audit', { query }),
  promote: (id: string, stage: RegistryStage, alias?: string) =>
    request<RegistryEntry>(`${run(id)}/promote`, { method: 'POST', body: { stage, alias } }),
} as const;
