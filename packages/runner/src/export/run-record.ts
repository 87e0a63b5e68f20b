/**
 * A finished run as an external tracker sees it: flat parameters, the final fit's step losses as
 * history, flat numeric metrics as the summary, tags, and how it ended. One shape for every
 * tracker (W&B, the user's MLflow) so each exporter only translates, never queries.
 */
import {
  getRun,
  listRunTags,
  listStepMetrics,
  listTrials,
  type ModelRunRow,
  type Queryable,
} from '@nflab/store';

/** One training step of the final fit. */
export interface ExportedStep {
  readonly step: number;
  readonly at: Date;
  /** The losses and learning rate logged at this step (absent ones left out). */
  readonly values: Readonly<Record<string, number>>;
}

/** What a tracker receives for one run. */
export interface RunExportRecord {
  readonly runId: string;
  readonly status: ModelRunRow['status'];
  /** A short label people recognise: model, game, first series. */
  readonly displayName: string;
  /** The sweep the run belongs to, as a grouping key. */
  readonly group: string | null;
  readonly startedAt: Date | null;
  readonly endedAt: Date | null;
  /** Spec fields, best hyperparameters (`best.*`), seed and fingerprints, flattened to dotted keys. */
  readonly params: Readonly<Record<string, string | number | boolean | null>>;
  /** Every finite number of the run's metrics, flattened (`cv.overall.mae`, `valid_loss`). */
  readonly metrics: Readonly<Record<string, number>>;
  readonly steps: readonly ExportedStep[];
  /** model, loto, unique_ids, sweep, operation, data fingerprint, engine version. */
  readonly tags: Readonly<Record<string, string>>;
  /** The run's own tags (experiment, phase, note …: nf_run_tags, which MLflow's set-tag writes too). */
  readonly runTags: Readonly<Record<string, string>>;
  readonly error: string | null;
}

type Scalar = string | number | boolean | null;

/**
 * Flattens nested objects to dotted keys; arrays of scalars become their JSON text, as trackers
 * store one scalar per key. `leaf` decides what a scalar becomes (or drops it with undefined).
 */
export function flatten<T>(
  value: unknown,
  leaf: (scalar: Scalar) => T | undefined,
  prefix = '',
  into: Record<string, T> = {},
): Record<string, T> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value as Record<string, unknown>))
      flatten(inner, leaf, prefix === '' ? key : `${prefix}.${key}`, into);
    return into;
  }
  const scalar: Scalar | undefined =
    value === null || ['string', 'number', 'boolean'].includes(typeof value)
      ? (value as Scalar)
      : Array.isArray(value)
        ? JSON.stringify(value)
        : undefined;
  if (scalar === undefined || prefix === '') return into;
  const converted = leaf(scalar);
  if (converted !== undefined) into[prefix] = converted;
  return into;
}

const finiteNumber = (scalar: Scalar): number | undefined =>
  typeof scalar === 'number' && Number.isFinite(scalar) ? scalar : undefined;

/** Steps of the final fit; without one (a failed search), the best trial's, then the last trial's. */
const finalFitSteps = async (db: Queryable, run: ModelRunRow): Promise<ExportedStep[]> => {
  const rows = await listStepMetrics(db, run.id, { limit: 100_000 });
  const byTrial = new Map<number | null, typeof rows>();
  for (const row of rows) {
    const key = row.trial_id === null ? null : Number(row.trial_id);
    byTrial.set(key, [...(byTrial.get(key) ?? []), row]);
  }
  let chosen = byTrial.get(null);
  if (chosen === undefined && byTrial.size > 0) {
    const trials = await listTrials(db, run.id);
    const best = trials
      .filter((t) => t.state === 'COMPLETE' && t.value !== null)
      .sort((a, b) => (a.value ?? 0) - (b.value ?? 0))[0];
    chosen = (best === undefined ? undefined : byTrial.get(Number(best.id))) ?? [...byTrial.values()].at(-1);
  }
  return (chosen ?? []).map((row) => ({
    step: row.step,
    at: row.at,
    values: flatten(
      { train_loss: row.train_loss, valid_loss: row.valid_loss, learning_rate: row.learning_rate },
      finiteNumber,
    ),
  }));
};

/** Reads run `runId` and everything a tracker receives of it. */
export async function loadRunExportRecord(db: Queryable, runId: string): Promise<RunExportRecord> {
  const run = await getRun(db, runId);
  const spec = (run.spec ?? {}) as Record<string, unknown>;
  // Tags travel as tags (below), not as `tags.*` params.
  const { tracking: _tracking, tags: _tags, ...specParams } = spec;
  const params = flatten(
    { ...specParams, seed: run.seed === null ? null : Number(run.seed), best: run.best_params ?? {} },
    (scalar): Scalar => scalar,
  );
  const tags: Record<string, string> = {
    model: run.model_name ?? '',
    loto: run.loto ?? '',
    unique_ids: run.unique_ids.join(','),
    operation: run.operation ?? 'train',
    ...(run.sweep_id === null ? {} : { sweep: run.sweep_id }),
    ...(run.data_fingerprint === null ? {} : { data_fingerprint: run.data_fingerprint }),
    ...(run.engine_version === null ? {} : { engine_version: run.engine_version }),
  };
  return {
    runId: run.id,
    status: run.status,
    displayName: [run.model_name, run.loto, run.unique_ids[0], run.id.slice(0, 8)].filter(Boolean).join(' '),
    group: run.sweep_id,
    startedAt: run.start_time,
    endedAt: run.end_time,
    params,
    metrics: flatten(run.metrics, finiteNumber),
    steps: await finalFitSteps(db, run),
    tags,
    runTags: await listRunTags(db, run.id),
    error: run.error_message,
  };
}
