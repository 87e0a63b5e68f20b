/**
 * Logs a finished lab run to W&B as a W&B run of the same name (the lab's run id), so a retry
 * after a partial export updates that run instead of creating a second one: config = the run's
 * parameters (and its run tags as `run_tags.*`), history = one row per training step of the final
 * fit (`_step` = the step), summary = the run's metrics, group = its sweep, tags = model, game,
 * operation; exit code 0 when it finished, 1 when it failed or was cancelled.
 */
import type { RunExportRecord } from '../run-record.js';
import { WandbApi, type UpsertedRun, type WandbConnection } from './wandb-api.js';

/** The spec's `{ sink: 'wandb', project, entity?, mode? }` options. */
export interface WandbSinkOptions {
  readonly project: string;
  readonly entity?: string;
}

/** History lines per file_stream request: W&B's own clients cap a request at 10,000 items. */
export const HISTORY_LINES_PER_REQUEST = 1000;

/** The W&B app's address of a run: `api.<host>` serves the API, `<host>` the pages. */
export const wandbRunUrl = (baseUrl: string, run: UpsertedRun): string => {
  const url = new URL(baseUrl);
  if (url.hostname.startsWith('api.')) url.hostname = url.hostname.slice(4);
  return `${url.origin}/${encodeURIComponent(run.entity)}/${encodeURIComponent(run.project)}/runs/${encodeURIComponent(run.name)}`;
};

const seconds = (date: Date): number => date.getTime() / 1000;

/** Exports `record`; returns where the run lives in W&B. */
export async function exportToWandb(
  record: RunExportRecord,
  options: WandbSinkOptions,
  connection: WandbConnection,
): Promise<{ readonly externalId: string; readonly externalUrl: string }> {
  const api = new WandbApi(connection);
  const run = await api.upsertRun({
    name: record.runId,
    project: options.project,
    ...(options.entity === undefined ? {} : { entity: options.entity }),
    displayName: record.displayName,
    ...(record.group === null ? {} : { groupName: record.group }),
    jobType: record.tags.operation ?? 'train',
    tags: [record.tags.model, record.tags.loto, record.tags.operation].filter((t): t is string => Boolean(t)),
    config: Object.fromEntries(
      Object.entries({
        ...record.params,
        ...prefixed('tags', record.tags),
        ...prefixed('run_tags', record.runTags),
      }).map(([key, value]) => [key, { value, desc: null }]),
    ),
    summaryMetrics: record.metrics,
    ...(record.error === null ? {} : { notes: record.error.slice(0, 2000) }),
  });
  const started = record.startedAt ?? record.steps[0]?.at ?? record.endedAt ?? new Date();
  const lines = record.steps.map((step) =>
    JSON.stringify({
      ...step.values,
      _step: step.step,
      _timestamp: seconds(step.at),
      _runtime: Math.max(0, seconds(step.at) - seconds(started)),
    }),
  );
  for (let offset = 0; offset < lines.length; offset += HISTORY_LINES_PER_REQUEST) {
    await api.streamFiles(run, {
      files: {
        'wandb-history.jsonl': { offset, content: lines.slice(offset, offset + HISTORY_LINES_PER_REQUEST) },
      },
    });
  }
  await api.streamFiles(run, {
    files: { 'wandb-summary.json': { offset: 0, content: [JSON.stringify(record.metrics)] } },
  });
  await api.streamFiles(run, { complete: true, exitcode: record.status === 'finished' ? 0 : 1 });
  return {
    externalId: `${run.entity}/${run.project}/${run.name}`,
    externalUrl: wandbRunUrl(connection.baseUrl, run),
  };
}

const prefixed = (prefix: string, values: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [`${prefix}.${key}`, value]));
