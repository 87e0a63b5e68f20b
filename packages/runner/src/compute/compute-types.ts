/** What the compute step of a run takes and gives back; both sides are cloneable to a worker thread. */
import type { ModelInterpretationDto, RunOperation, RunSpec } from '@nflab/contracts';
import type { CrossValidationRow, EngineRuntime, ForecastRow } from '@nflab/engine';
import type { JsonValue, StudyStorage } from '@nflab/tune';
import type { EnsembleMemberPoints } from '@nflab/analysis';
import type { EnsembleSummary } from './ensemble-summary.js';
import type { FeatureImportance } from './importance/types.js';
import type { RunData } from './run-data.js';

/** The saved model a model operation starts from. */
export interface ParentModel {
  readonly runId: string;
  /** The parent's saved NeuralForecast directory. */
  readonly modelDir: string;
  /** The parent's full model config (an Auto run's best configuration). */
  readonly config: Readonly<Record<string, JsonValue>>;
}

/** One run's compute work. */
export interface ComputeJob {
  readonly runId: string;
  readonly spec: RunSpec;
  readonly operation: RunOperation;
  readonly data: RunData;
  /** Where the run saves its model (created; must be empty). */
  readonly modelDir: string;
  /** Set for predict / refit / cv / importance. */
  readonly parent?: ParentModel;
  /** Set for an ensemble: each member's stored evaluated points and forecasts, in request order. */
  readonly members?: readonly EnsembleMemberPoints[];
  /** Trials fitted at once (worker threads of their own when > 1). */
  readonly cpus: number;
  /** Route matrix products to OpenBLAS where it loads (wasm stays the fallback). */
  readonly nativeMatmul: boolean;
  /** Name of the run's study in the storage. */
  readonly studyName: string;
  /**
   * Set when the run is traced: the W3C traceparent of its `run execute` span, continued by the
   * thread's `run compute` span, and the module that starts the thread's OpenTelemetry SDK (null:
   * the thread records no spans).
   */
  readonly trace?: { readonly traceparent: string; readonly sdk: string | null };
}

/** One training loss: of a trial (by its number) or of the final fit (`trial` null). */
export interface StepEvent {
  readonly trial: number | null;
  readonly kind: 'train' | 'valid';
  readonly step: number;
  readonly loss: number;
}

/** A file the run wrote. */
export interface WrittenFile {
  readonly path: string;
  readonly kind: 'model';
  readonly sha256: string;
  readonly bytes: number;
}

/** What the fitted model is. */
export interface ModelProperties {
  readonly model: string;
  readonly label: string;
  readonly parameterCount: number;
  readonly variables: readonly { readonly name: string; readonly shape: readonly number[] }[];
  readonly inputSize: number;
  readonly h: number;
  readonly exogenous: Readonly<Record<'futr' | 'hist' | 'stat', readonly string[]>>;
  readonly modelDir: string | null;
  readonly fileBytes: number | null;
  /** SHA-256 over the saved files (name and content, in name order); null when nothing was saved. */
  readonly sha256: string | null;
}

/** Rows with the actual value, from a held-out test part or cross-validation. */
export type EvaluatedRows = readonly CrossValidationRow[];

/** What the compute step returns. */
export interface ComputeResult {
  /** Forecast column of the model (`NHITS`). */
  readonly modelColumn: string;
  /** The space an Auto run searched (its default space with the spec's overrides); null otherwise. */
  readonly searchSpace: Readonly<Record<string, JsonValue>> | null;
  /** The config the final model was fitted with (an Auto run's best trial + fixed keys). */
  readonly config: Readonly<Record<string, JsonValue>>;
  /** The best trial's (Auto) or the final fit's validation loss; null without validation. */
  readonly validLoss: number | null;
  /** Forecast after the training data; empty when it could not be made (see `notes`). */
  readonly forecasts: readonly ForecastRow[];
  /** Rolling forecasts over the held-out test part (test_size), no refit. */
  readonly test: EvaluatedRows;
  /** Cross-validation rows (spec.cross_validation or a cv operation). */
  readonly cv: EvaluatedRows;
  readonly modelProperties: ModelProperties | null;
  readonly files: readonly WrittenFile[];
  /** What the fitted model weighed (TFT's selection and attention weights); set by train and refit of a TFT. */
  readonly interpretation?: ModelInterpretationDto;
  /** Exogenous-column importance; set by the importance operation only. */
  readonly importance?: FeatureImportance;
  /** How an ensemble combined its members; set by the ensemble operation only. */
  readonly ensemble?: EnsembleSummary;
  readonly runtime: EngineRuntime;
  /** What the run decided or skipped, for the run's logs. */
  readonly notes: readonly string[];
}

/** What the compute step reports while it works. */
export interface ComputeHooks {
  /** Where the search's study and trials live (the run's PostgreSQL storage, proxied). */
  readonly storage: StudyStorage;
  readonly signal: AbortSignal;
  readonly onStep: (event: StepEvent) => void;
  readonly onLog: (message: string) => void;
}
